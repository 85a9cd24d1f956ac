"""The deterministic rules backend: same schema as the model, no network, no model.

    from summarize.rules import extract_summary
    summary = extract_summary(text, title="...", source="reuters")
"""

from summarize.rules.extract import RulesBackend, extract_summary

__all__ = ["RulesBackend", "extract_summary"]
