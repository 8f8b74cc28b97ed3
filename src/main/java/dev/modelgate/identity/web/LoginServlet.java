package dev.modelgate.identity.web;

import dev.modelgate.identity.IdentityLifecycle;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * After sign-in, sends the browser to the page it first asked for ({@code ?target=}), but only to a path on this
 * server: an absolute or scheme-relative target would make the login an open redirect.
 */
@WebServlet(name = "login", urlPatterns = {IdentityLifecycle.LOGIN_PATH, IdentityLifecycle.LOGGED_OUT_PATH})
public class LoginServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getServletPath().equals(IdentityLifecycle.LOGGED_OUT_PATH)) {
            response.setContentType("application/json");
            response.getWriter().write("{\"logged_out\":true}");
            return;
        }
        response.sendRedirect(request.getContextPath() + SameOriginTarget.of(request.getParameter("target")));
    }
}
