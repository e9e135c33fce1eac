"""Readers: turn user inputs (files, folders, globs, feed URLs) into :class:`RawItem` s."""
