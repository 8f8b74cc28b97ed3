package dev.modelgate.identity.jaspi;

import jakarta.security.auth.message.MessageInfo;
import jakarta.servlet.http.HttpServletResponse;

import java.lang.reflect.Method;

/**
 * Sends a 401 or a redirect from inside {@code validateRequest}. On Jetty 12 the servlet response cannot do
 * that there ({@code sendError} gives 500, {@code setStatus} hangs): only Jetty's own core response API works,
 * reached through Jetty's {@code JaspiMessageInfo}. Jetty's classes are hidden from webapps, so they are called
 * reflectively, through the message info's own class loader; on other servers the servlet API is used.
 * Stateless and thread-safe.
 */
final class ContainerChallenges {
    private ContainerChallenges() {
    }

    /** Answers {@code status}; the body comes from the web application's error page. */
    static void error(MessageInfo info, HttpServletResponse response, int status) throws Exception {
        Object[] jetty = jettyParts(info);
        if (jetty == null) {
            response.sendError(status);
            return;
        }
        Class<?> coreResponse = coreResponseClass(info);
        Method writeError = coreResponse.getMethod("writeError", jetty[0].getClass().getClassLoader()
                .loadClass("org.eclipse.jetty.server.Request"), coreResponse, callbackClass(info), int.class);
        writeError.invoke(null, jetty[0], jetty[1], jetty[2], status);
    }

    /** Answers 302 to {@code location}. */
    static void redirect(MessageInfo info, HttpServletResponse response, String location) throws Exception {
        Object[] jetty = jettyParts(info);
        if (jetty == null) {
            response.sendRedirect(location);
            return;
        }
        Class<?> coreResponse = coreResponseClass(info);
        Method sendRedirect = coreResponse.getMethod("sendRedirect", info.getClass().getClassLoader()
                .loadClass("org.eclipse.jetty.server.Request"), coreResponse, callbackClass(info), String.class);
        sendRedirect.invoke(null, jetty[0], jetty[1], jetty[2], location);
    }

    /** Jetty's base request, base response and callback, or null when this is not Jetty. */
    private static Object[] jettyParts(MessageInfo info) throws Exception {
        Method request = method(info, "getBaseRequest");
        Method response = method(info, "getBaseResponse");
        Method callback = method(info, "getCallback");
        if (request == null || response == null || callback == null) {
            return null;
        }
        return new Object[]{request.invoke(info), response.invoke(info), callback.invoke(info)};
    }

    private static Class<?> coreResponseClass(MessageInfo info) throws ClassNotFoundException {
        return info.getClass().getClassLoader().loadClass("org.eclipse.jetty.server.Response");
    }

    private static Class<?> callbackClass(MessageInfo info) throws ClassNotFoundException {
        return info.getClass().getClassLoader().loadClass("org.eclipse.jetty.util.Callback");
    }

    private static Method method(MessageInfo info, String name) {
        try {
            return info.getClass().getMethod(name);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
