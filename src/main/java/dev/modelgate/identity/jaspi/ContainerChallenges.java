package dev.modelgate.identity.jaspi;

import dev.modelgate.serving.web.RequestBodies;
import jakarta.security.auth.message.MessageInfo;
import jakarta.servlet.http.HttpServletRequest;
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

    /**
     * Answers {@code status} with a JSON body, the request's unread body drained first
     * ({@link RequestBodies#drainBeforeRefusal}) so a keep-alive connection carries the client's next request.
     * Written here rather than through the container's error handling, whose output differs between Jetty 12.0 (the
     * webapp's error page) and 12.1 (Jetty's own HTML page).
     */
    static void error(MessageInfo info, HttpServletResponse response, int status, byte[] json) throws Exception {
        if (info.getRequestMessage() instanceof HttpServletRequest request) {
            RequestBodies.drainBeforeRefusal(request, response);
        }
        Object[] jetty = jettyParts(info);
        if (jetty == null) {
            response.setStatus(status);
            response.setContentType("application/json;charset=utf-8");
            response.getOutputStream().write(json);
            response.flushBuffer();
            return;
        }
        Object coreResponse = jetty[1];
        ClassLoader jettyLoader = info.getClass().getClassLoader();
        coreResponse.getClass().getMethod("setStatus", int.class).invoke(coreResponse, status);
        Object headers = coreResponse.getClass().getMethod("getHeaders").invoke(coreResponse);
        Class<?> mutable = jettyLoader.loadClass("org.eclipse.jetty.http.HttpFields$Mutable");
        Method put = mutable.getMethod("put", String.class, String.class);
        put.invoke(headers, "Content-Type", "application/json;charset=utf-8");
        put.invoke(headers, "Cache-Control", "no-store");
        for (String header : new String[]{"WWW-Authenticate", "Retry-After", "Connection"}) {
            String value = response.getHeader(header);
            if (value != null) {
                put.invoke(headers, header, value);
            }
        }
        Method write = coreResponseClass(info).getMethod("write", boolean.class, java.nio.ByteBuffer.class, callbackClass(info));
        write.invoke(coreResponse, true, java.nio.ByteBuffer.wrap(json), jetty[2]);
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

    /** Whether {@code info} is Jetty's (which then carries its core request, response and callback). */
    static boolean isJetty(MessageInfo info) {
        return method(info, "getBaseRequest") != null;
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
