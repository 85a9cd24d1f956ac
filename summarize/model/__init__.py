"""What talks to a model endpoint: the openai client through instructor (client), how a
fault is classified (faults), the guards every exchange goes through (guards), rate
limits (ratelimit), the model backend (backend) and llama.cpp's server for a local GGUF
model (local_server). Nothing outside this package imports openai or instructor."""
