// placeholder, replaced by the media implementation
