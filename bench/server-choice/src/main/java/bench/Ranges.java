package bench;

/** A parsed {@code Range: bytes=a-b} / {@code bytes=a-} against a size; null header = whole body. */
record Ranges(long first, long last, boolean partial) {
    /** @return null when unsatisfiable (416) */
    static Ranges parse(String header, long size) {
        if (header == null || !header.startsWith("bytes=") || header.contains(",")) {
            return new Ranges(0, size - 1, false);
        }
        String[] ab = header.substring(6).split("-", -1);
        try {
            long a = Long.parseLong(ab[0].trim());
            long b = ab[1].isBlank() ? size - 1 : Math.min(size - 1, Long.parseLong(ab[1].trim()));
            return a <= b && a < size ? new Ranges(a, b, true) : null;
        } catch (NumberFormatException e) {
            return new Ranges(0, size - 1, false);
        }
    }

    long length() {
        return last - first + 1;
    }

    String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }
}
