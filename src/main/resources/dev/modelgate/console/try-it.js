// modelgate console, "Try it": the one script (CSP allows no inline script). Each form posts its text area to the
// real invocation URL with the session cookie. The browser adds Origin to a same-origin POST, which is what the
// gateway's cross-site check asks of session callers, and the body is application/json, the only kind it accepts;
// so no extra token is needed. The answer, success or JSON error, is shown as text (never as markup).
'use strict';

function pretty(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch (notJson) {
    return text;
  }
}

function send(form) {
  const status = document.getElementById(form.dataset.status);
  const answer = document.getElementById(form.dataset.answer);
  status.textContent = 'Sending…';
  answer.textContent = '';
  fetch(form.action, {
    method: 'POST',
    credentials: 'same-origin',
    headers: {'Content-Type': 'application/json', 'Accept': 'application/json'},
    body: form.querySelector('textarea').value
  }).then(response => response.text().then(text => {
    status.textContent = 'HTTP ' + response.status + (response.ok ? ''
        : response.status === 403 ? ': refused, you do not hold the permission this call needs'
        : response.status === 401 ? ': not signed in any more, reload the page to sign in again'
        : ': the call failed');
    status.dataset.code = String(response.status);
    answer.textContent = text ? pretty(text) : '(the server sent no body)';
  })).catch(error => {
    status.textContent = 'The request did not complete: ' + error.message;
    status.dataset.code = '0';
  });
}

document.querySelectorAll('form.try-it').forEach(form => {
  form.addEventListener('submit', event => {
    event.preventDefault();
    send(form);
  });
});
