package io.tspm.internal;

/** The one JSON shape core writes (a log line); no JSON library, as core depends on slf4j only. */
final class Json {

    private Json() {
    }

    /** {@code {"time":...,"process":...,"instance":n,"stream":...,"message":...}} and a newline. */
    static String line(String time, String process, int instance, String stream, String message) {
        StringBuilder sb = new StringBuilder(message.length() + 96);
        sb.append("{\"time\":\"").append(time).append("\",\"process\":");
        string(sb, process);
        sb.append(",\"instance\":").append(instance).append(",\"stream\":\"").append(stream)
                .append("\",\"message\":");
        string(sb, message);
        return sb.append("}\n").toString();
    }

    static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }
}
