"""Throughput and memory benchmark of `newsclean run`: a corpus generator and a runner."""
