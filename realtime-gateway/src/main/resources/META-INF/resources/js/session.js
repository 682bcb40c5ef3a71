// Sign-in shared by the console and the widget: a token handed over in the URL fragment (#token=..., as an
// identity provider's redirect would), or the dev-only local issuer of the conversations service.

import { SwitchboardClient } from './switchboard-client.js';

export async function loadClientConfig() {
    const response = await fetch('/client-config.json');
    if (!response.ok) throw new Error(`client configuration: HTTP ${response.status}`);
    return response.json();
}

/** Session kept per tab (sessionStorage), so two agents can work side by side in one browser. */
export class Session {
    constructor(app, apiUrl) {
        this.key = `switchboard.${app}.session`;
        this.apiUrl = apiUrl;
        this.state = JSON.parse(sessionStorage.getItem(this.key) || 'null');
        const fragment = new URLSearchParams(location.hash.slice(1));
        if (fragment.get('token')) {
            this.save({ token: fragment.get('token'), via: 'fragment', extra: Object.fromEntries(fragment) });
            history.replaceState(null, '', location.pathname + location.search);
        }
    }

    get token() {
        return this.state?.token;
    }

    get extra() {
        return this.state?.extra || {};
    }

    save(state) {
        this.state = state;
        sessionStorage.setItem(this.key, JSON.stringify(state));
    }

    signOut() {
        this.state = null;
        sessionStorage.removeItem(this.key);
    }

    /** Who can sign in locally, or null when this is not a dev build (no local issuer). */
    async devIdentities() {
        try {
            const response = await fetch(`${this.apiUrl}/dev/identities`);
            return response.ok ? response.json() : null;
        } catch {
            return null;
        }
    }

    /** Signs in through the dev issuer; the request is kept so the token can be renewed the same way. */
    async devSignIn(request, extra = {}) {
        this.save({ token: await this.issue(request), via: 'dev', request, extra });
    }

    /** The client library's token provider: renews dev tokens, hands out others unchanged. */
    async currentToken() {
        if (this.state?.via === 'dev') {
            this.save({ ...this.state, token: await this.issue(this.state.request) });
        }
        if (!this.token) throw new Error('signed out');
        return this.token;
    }

    async issue(request) {
        const response = await fetch(`${this.apiUrl}/dev/tokens`, {
            method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(request) });
        if (!response.ok) throw new Error(`sign-in refused (HTTP ${response.status})`);
        return (await response.json()).token;
    }
}

/** The client for a signed-in page: tokens from the session, REST and WebSocket where the configuration says. */
export function createClient(config, session) {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    return new SwitchboardClient({ token: () => session.currentToken(), apiUrl: config.apiUrl,
        wsUrl: `${scheme}://${location.host}${config.wsPath}` });
}
