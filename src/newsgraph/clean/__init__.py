"""Cleaning: raw items to documents with clean body text and metadata."""
