"""The web editor: a Decap CMS configuration generated from the content models (`gongkai cms`)."""
