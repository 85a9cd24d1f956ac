"""What talks to a model endpoint: the openai client through instructor (client; the
response models it asks for in response_models, the request and response bodies in
bodies, what it shares with a Transport in exchange, what an exchange produced in
answers), how a fault is classified (faults), the guards every exchange goes through
(guards), rate limits (ratelimit), the model backend (backend) and llama.cpp's server
for a local GGUF model (local_server), OpenAI's Batch API (batch_api: files and batches;
the lines of its files in batch_lines; their limits in batch_limits, which the command
line reads without importing the SDK). Nothing outside this package imports openai or
instructor."""
