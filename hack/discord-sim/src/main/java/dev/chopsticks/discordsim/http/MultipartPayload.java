package dev.chopsticks.discordsim.http;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Pulls the {@code payload_json} field out of a {@code multipart/form-data} body (how Discord clients send
 * messages with attachments). Attachments themselves are ignored: the simulator stores no files.
 */
final class MultipartPayload {
    private MultipartPayload() {}

    static String payloadJson(String contentType, byte[] body) {
        String boundary = boundary(contentType);
        if (boundary == null) {
            return null;
        }
        // ISO-8859-1 maps bytes 1:1, so binary parts cannot corrupt the offsets; the JSON part is re-decoded.
        String raw = new String(body, StandardCharsets.ISO_8859_1);
        String delimiter = "--" + boundary;
        for (String part : raw.split(Pattern.quote(delimiter))) {
            int headerEnd = part.indexOf("\r\n\r\n");
            if (headerEnd < 0) {
                continue;
            }
            String headers = part.substring(0, headerEnd).toLowerCase(Locale.ROOT);
            if (headers.contains("name=\"payload_json\"")) {
                String content = part.substring(headerEnd + 4);
                if (content.endsWith("\r\n")) {
                    content = content.substring(0, content.length() - 2);
                }
                return new String(content.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static String boundary(String contentType) {
        for (String param : contentType.split(";")) {
            String p = param.trim();
            if (p.regionMatches(true, 0, "boundary=", 0, 9)) {
                String b = p.substring(9);
                return b.startsWith("\"") && b.endsWith("\"") && b.length() > 1 ? b.substring(1, b.length() - 1) : b;
            }
        }
        return null;
    }
}
