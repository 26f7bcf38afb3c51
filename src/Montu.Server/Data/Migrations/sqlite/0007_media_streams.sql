-- What a browser plays or shows for a media version, made by background processing: an H.264
-- proxy, a PNG preview, or the original itself when the browser can read it. Null until made.
ALTER TABLE media ADD COLUMN stream_key TEXT;
