import { html } from 'hono/html';

/** The login form shown when AUTHBIN_TOKEN is set: plain HTML, no script, so it works under the strict CSP. */
export function loginPage({ next, failed }: { next: string; failed: boolean }) {
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Log in · authbin</title>
    <link rel="stylesheet" href="/login.css" />
  </head>
  <body>
    <main>
      <h1>authbin</h1>
      <p>This authbin is protected: enter the token it was started with (<code>AUTHBIN_TOKEN</code>).</p>
      <form method="post" action="/login">
        <input type="hidden" name="next" value="${next}" />
        <label for="token">Access token</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required autofocus />
        ${failed ? html`<p class="error" role="alert">That token is not the one this authbin was started with.</p>` : ''}
        <button type="submit">Log in</button>
      </form>
    </main>
  </body>
</html>`;
}

export const loginCss = `:root { color-scheme: light dark; font-family: system-ui, sans-serif; }
body { display: grid; place-items: center; min-height: 100vh; margin: 0; background: Canvas; color: CanvasText; }
main { max-width: 26rem; padding: 2rem; }
form { display: grid; gap: .5rem; }
input { font: inherit; padding: .5rem; }
button { font: inherit; padding: .5rem 1rem; cursor: pointer; }
.error { color: #b71c1c; }
@media (prefers-color-scheme: dark) { .error { color: #ff8a80; } }
code { font-family: ui-monospace, monospace; }
`;
