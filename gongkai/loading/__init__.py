"""Loading stage: files → raw records with source positions (no schema knowledge)."""

from ..contentfiles import display_path, is_junk
from .decode import decode_text
from .source import RawContent, RawRecord, load_content, parse_record
from .yamltree import Marks, ParsedYaml, parse_yaml, split_front_matter

__all__ = [
    "Marks", "ParsedYaml", "RawContent", "RawRecord", "decode_text", "display_path", "is_junk",
    "load_content", "parse_record", "parse_yaml", "split_front_matter",
]
