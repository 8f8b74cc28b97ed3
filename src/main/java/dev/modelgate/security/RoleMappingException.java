package dev.modelgate.security;

/** The role-mapping file is invalid; the message names the file, the line and the problem. */
public class RoleMappingException extends RuntimeException {
    public RoleMappingException(String file, int line, String problem) {
        super(file + ":" + line + ": " + problem);
    }
}
