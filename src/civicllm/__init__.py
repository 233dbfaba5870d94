"""civicllm: open-weights Llama models as trustworthy public-service assistants."""

__version__ = "0.1.0"
