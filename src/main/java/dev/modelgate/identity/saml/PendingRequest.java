package dev.modelgate.identity.saml;

/**
 * A request this SP sent to the IdP and waits an answer for, remembered by its message id.
 *
 * @param login     a sign-in (AuthnRequest) rather than a logout
 * @param returnUrl where the browser goes once the answer is accepted, or null for the default
 */
record PendingRequest(boolean login, String returnUrl) {
}
