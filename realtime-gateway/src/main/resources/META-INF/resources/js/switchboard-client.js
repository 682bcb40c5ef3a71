// Switchboard browser client: one WebSocket to the realtime gateway plus the REST calls that change things.
// Documented in docs/client.md; the protocol itself is /asyncapi.yaml. No dependencies, no build step.
//
//   const client = new SwitchboardClient({ token: () => fetchToken(), apiUrl: '' });
//   client.addEventListener('state', e => show(e.detail.state));        // connecting | live | reconnecting | offline
//   client.subscribe('list', 'conversations', { filter: { assignee: 'me' }, since: cursor,
//       onEvent: frame => apply(frame), onReset: () => reloadSnapshotAndResubscribe() });
//   client.connect();

const PROTOCOL = 'switchboard.v1';
/** Closes after which reconnecting with the same token cannot help. */
const AUTH_CLOSES = new Set([4001, 4002]);

/**
 * The protocol's rule for applying an event to what a client holds: only a higher version counts (a replayed or
 * duplicate event is ignored). Returns the entity with the event's data and changed fields, or null.
 */
export function applyEvent(known, frame) {
    if (known && known.version >= frame.version) return null;
    return { ...known, ...(frame.data || {}), ...(frame.changes || {}), version: frame.version };
}

export class CommandRejected extends Error {
    constructor(status, problem, kind) {
        super(problem?.detail || problem?.title || `request failed (${status})`);
        this.status = status;
        this.problem = problem;
        /** 'conflict' (someone changed it first: version conflict) or 'rejected' (the server refused the request). */
        this.kind = kind;
    }
}

export class SwitchboardClient extends EventTarget {
    /**
     * @param {object} options
     * @param {() => Promise<string>|string} options.token  returns a valid token; called at each (re)connect and
     *        before expiry, so a provider that can refresh (re-sign-in, refresh token) keeps the session alive
     * @param {string} [options.apiUrl]     prefix for REST paths ('' = same origin)
     * @param {string} [options.wsUrl]      WebSocket URL (default: this origin + /ws)
     * @param {number} [options.backoffBaseMs=500]   first reconnect delay bound (full jitter: random in [0, bound])
     * @param {number} [options.backoffCapMs=30000]  bound cap
     * @param {number} [options.heartbeatMs=15000]   ping interval
     * @param {number} [options.heartbeatTimeoutMs=10000]  silence after a ping that counts as a dead connection
     * @param {number} [options.refreshBeforeMs=60000]     refresh the token this long before it expires
     */
    constructor(options) {
        super();
        this.options = { backoffBaseMs: 500, backoffCapMs: 30000, heartbeatMs: 15000, heartbeatTimeoutMs: 10000,
            refreshBeforeMs: 60000, apiUrl: '', ...options };
        this.wsUrl = options.wsUrl || `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
        this.state = 'offline';
        this.identity = null;
        this.subscriptions = new Map();
        this.queue = [];
        this.attempt = 0;
        this.socket = null;
        this.timers = {};
        this.stopped = true;
        this.refSeq = 0;
        this.token = null;
        this.onlineListener = () => { if (this.state === 'reconnecting') this.reconnectNow(); };
        this.offlineListener = () => this.socket?.close(4000, 'browser offline');
    }

    // ---- connection ------------------------------------------------------------------------------------------

    connect() {
        this.stopped = false;
        addEventListener('online', this.onlineListener);
        addEventListener('offline', this.offlineListener);
        this.open();
    }

    /** Closes for good (sign-out); queued commands are dropped. */
    close() {
        this.stopped = true;
        removeEventListener('online', this.onlineListener);
        removeEventListener('offline', this.offlineListener);
        this.clearTimers();
        this.socket?.close(1000, 'client closed');
        this.socket = null;
        this.setState('offline', 'closed');
    }

    async open() {
        this.clearTimers();
        this.setState(this.attempt === 0 && !this.identity ? 'connecting' : 'reconnecting');
        let token;
        try {
            token = await this.freshToken();
        } catch (error) {
            this.setState('offline', 'signed_out');
            this.emit('signed_out', { reason: String(error?.message || error) });
            return;
        }
        if (this.stopped) return;
        const socket = new WebSocket(this.wsUrl, PROTOCOL);
        this.socket = socket;
        socket.onmessage = message => this.socket === socket && this.receive(message.data);
        socket.onclose = close => this.socket === socket && this.closed(close);
        socket.onopen = () => {
            if (this.socket !== socket) return;
            this.send({ type: 'auth', token });
            this.startHeartbeat();
        };
    }

    async freshToken() {
        this.token = await this.options.token();
        if (!this.token) throw new Error('no token');
        return this.token;
    }

    closed(close) {
        this.socket = null;
        this.clearTimers();
        for (const sub of this.subscriptions.values()) sub.acknowledged = false;
        if (this.stopped) return;
        if (AUTH_CLOSES.has(close.code)) {
            // A refreshed token may fix it once; a second refusal in a row means the session is over.
            if (this.authFailed) {
                this.setState('offline', 'signed_out');
                this.emit('signed_out', { reason: close.reason || `closed ${close.code}` });
                return;
            }
            this.authFailed = true;
        }
        const hinted = this.retryAfterMs;
        this.retryAfterMs = undefined;
        const bound = Math.min(this.options.backoffCapMs, this.options.backoffBaseMs * 2 ** this.attempt);
        const delay = hinted ?? Math.random() * bound;
        this.attempt++;
        this.setState('reconnecting', `closed ${close.code}`);
        this.emit('reconnecting', { code: close.code, reason: close.reason, delayMs: delay, attempt: this.attempt });
        this.timers.reconnect = setTimeout(() => this.open(), delay);
    }

    reconnectNow() {
        clearTimeout(this.timers.reconnect);
        if (!this.socket) this.open();
    }

    receive(text) {
        const frame = JSON.parse(text);
        this.lastHeard = Date.now();
        clearTimeout(this.timers.pongDeadline);
        switch (frame.type) {
            case 'authenticated': return this.authenticated(frame);
            case 'subscribed': return this.subscribed(frame);
            case 'event': return this.event(frame);
            case 'reset': return this.reset(frame);
            case 'pong': return this.pong(frame);
            case 'token_expiring': return this.refreshToken();
            case 'reconnect': this.retryAfterMs = frame.retryAfterMs; return;
            case 'unsubscribed': return this.subscriptionEnded(frame);
            case 'error': return this.error(frame);
            case 'metrics': return this.subscriptions.get(frame.id)?.onMetrics?.(frame.data);
            case 'typing': return this.emit('typing', frame);
            case 'presence': return this.emit('presence', frame);
            default: return undefined; // hello, and frame types newer than this client
        }
    }

    authenticated(frame) {
        const first = this.state !== 'live';
        this.identity = frame;
        this.authFailed = false;
        this.attempt = 0;
        this.scheduleRefresh(frame.expiresAt);
        if (!first) return; // a token refresh on a live connection
        this.setState('live');
        for (const sub of this.subscriptions.values()) this.sendSubscribe(sub);
        this.replayQueue();
    }

    setState(state, reason) {
        if (this.state === state) return;
        this.state = state;
        this.emit('state', { state, reason });
    }

    emit(type, detail) {
        this.dispatchEvent(new CustomEvent(type, { detail }));
    }

    send(frame) {
        if (this.socket?.readyState !== WebSocket.OPEN) return false;
        this.socket.send(JSON.stringify(frame));
        return true;
    }

    startHeartbeat() {
        this.timers.heartbeat = setInterval(() => {
            this.send({ type: 'ping', ref: `hb-${++this.refSeq}` });
            clearTimeout(this.timers.pongDeadline);
            // Nothing heard back in time: the connection is dead even if the browser has not noticed yet.
            this.timers.pongDeadline = setTimeout(() => this.socket?.close(4000, 'heartbeat timeout'),
                this.options.heartbeatTimeoutMs);
        }, this.options.heartbeatMs);
    }

    scheduleRefresh(expiresAt) {
        clearTimeout(this.timers.refresh);
        const due = Date.parse(expiresAt) - Date.now() - this.options.refreshBeforeMs;
        this.timers.refresh = setTimeout(() => this.refreshToken(), Math.max(0, due));
    }

    async refreshToken() {
        if (this.refreshing) return;
        this.refreshing = true;
        try {
            const token = await this.freshToken();
            this.send({ type: 'auth', token });
        } catch (error) {
            this.emit('token_refresh_failed', { reason: String(error?.message || error) });
        } finally {
            this.refreshing = false;
        }
    }

    clearTimers() {
        clearInterval(this.timers.heartbeat);
        for (const name of ['reconnect', 'pongDeadline', 'refresh']) clearTimeout(this.timers[name]);
        this.timers = {};
    }

    // ---- subscriptions ---------------------------------------------------------------------------------------

    /**
     * Subscribes now (if live) and again after every reconnect, from the last cursor seen. Handlers:
     * onEvent(frame, op) for event frames, onReset(reason) when the position is lost (reload the snapshot,
     * then call resubscribe with its cursor), onMetrics(data), onError(frame), onSubscribed(frame).
     */
    subscribe(id, topic, { filter, since, ...handlers } = {}) {
        const sub = { id, topic, filter, cursor: since ?? null, acknowledged: false, ...handlers };
        this.subscriptions.set(id, sub);
        if (this.state === 'live') this.sendSubscribe(sub);
        return sub;
    }

    /** After a reset: continue from the cursor of a freshly loaded snapshot. */
    resubscribe(id, since) {
        const sub = this.subscriptions.get(id);
        if (!sub) return;
        sub.cursor = since ?? null;
        if (this.state === 'live') this.sendSubscribe(sub);
    }

    unsubscribe(id) {
        const sub = this.subscriptions.get(id);
        if (!sub) return;
        this.subscriptions.delete(id);
        // not live: nothing to undo on the server, and the reconnect will not subscribe it again
        if (this.state === 'live') this.send({ type: 'unsubscribe', id });
    }

    sendSubscribe(sub) {
        const frame = { type: 'subscribe', id: sub.id, topic: sub.topic, ref: sub.id };
        if (sub.filter) frame.filter = sub.filter;
        if (sub.cursor) frame.since = sub.cursor;
        this.send(frame);
    }

    subscribed(frame) {
        const sub = this.subscriptions.get(frame.id);
        if (!sub) return;
        sub.acknowledged = true;
        if (frame.cursor) sub.cursor = frame.cursor;
        sub.onSubscribed?.(frame);
    }

    event(frame) {
        for (const [id, op] of Object.entries(frame.subs)) {
            const sub = this.subscriptions.get(id);
            if (!sub) continue;
            sub.cursor = frame.cursor;
            sub.onEvent?.(frame, op);
        }
    }

    pong(frame) {
        // Each listed subscription is complete up to its own cursor (one still replaying is behind the live
        // position): resume from there even if nothing was delivered. Never apply one subscription's cursor to another.
        for (const [id, cursor] of Object.entries(frame.cursors ?? {})) {
            const sub = this.subscriptions.get(id);
            if (sub?.acknowledged && cursor) sub.cursor = cursor;
        }
    }

    reset(frame) {
        const sub = this.subscriptions.get(frame.id);
        if (!sub) return;
        sub.acknowledged = false;
        sub.cursor = null;
        if (sub.onReset) sub.onReset(frame.reason);
        else this.emit('reset', frame);
    }

    subscriptionEnded(frame) {
        const sub = this.subscriptions.get(frame.id);
        if (!sub || frame.reason === 'requested') return;
        this.subscriptions.delete(frame.id);
        sub.onError?.({ code: frame.reason, message: 'subscription ended' });
    }

    error(frame) {
        const sub = frame.ref && this.subscriptions.get(frame.ref);
        if (sub && !sub.acknowledged) {
            this.subscriptions.delete(frame.ref);
            sub.onError?.(frame);
        }
        this.emit('server_error', frame);
    }

    /** Typing signal for a conversation this client subscribed to (the gateway throttles to one a second). */
    typing(conversationId, typing, privateNote = false) {
        return this.send({ type: 'typing', conversationId, typing, privateNote });
    }

    // ---- REST and commands -----------------------------------------------------------------------------------

    /** An authenticated REST call; resolves to { status, body, headers }; rejects only on network failure. */
    async request(method, path, { body, ifMatch } = {}) {
        const headers = { Authorization: `Bearer ${this.token || await this.freshToken()}` };
        if (body !== undefined) headers['Content-Type'] = 'application/json';
        if (ifMatch !== undefined && ifMatch !== null) headers['If-Match'] = `"${ifMatch}"`;
        const response = await fetch(this.options.apiUrl + path, {
            method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
        const text = await response.text();
        return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
    }

    /** GET that throws CommandRejected on an error status. */
    async get(path) {
        const response = await this.request('GET', path);
        if (response.status >= 400) throw new CommandRejected(response.status, response.body, 'rejected');
        return response;
    }

    /**
     * A change, applied optimistically and sent now, or queued while offline and sent once after the next
     * reconnect. Resolves with the server's answer, or rejects with CommandRejected (after calling rollback).
     *
     * @param {object} command
     * @param {string} command.method  @param {string} command.path  @param {object} [command.body]
     * @param {number} [command.ifMatch]  the entity version the change was made against (version conflicts → 412)
     * @param {string} [command.key]      idempotency key; for messages it is sent as clientMessageId, so a
     *        replay after a lost response cannot write twice
     * @param {() => void} [command.apply]     optimistic local change, run at once
     * @param {(error) => void} [command.rollback]  undo it when the server refuses
     * @param {(current) => boolean} [command.alreadyApplied]  on a 412, whether the current entity already
     *        shows this change (its response was lost before a reconnect), which counts as success
     * @param {string} [command.label]  for notices
     */
    command(command) {
        command.key ??= crypto.randomUUID();
        command.apply?.();
        return new Promise((resolve, reject) => {
            command.resolve = resolve;
            command.reject = reject;
            if (this.state === 'live') this.execute(command);
            else this.enqueue(command);
        });
    }

    enqueue(command) {
        this.queue.push(command);
        this.emit('queue', { size: this.queue.length, command });
    }

    async replayQueue() {
        const pending = this.queue.splice(0);
        if (pending.length) this.emit('queue', { size: 0, replaying: pending.length });
        for (const command of pending) await this.execute(command);
    }

    async execute(command) {
        let response;
        try {
            response = await this.request(command.method, command.path, { body: command.body, ifMatch: command.ifMatch });
        } catch (networkFailure) {
            // The request may or may not have reached the server; the idempotency key / If-Match make the replay safe.
            this.enqueue(command);
            this.socket?.close(4000, 'network failure');
            return;
        }
        if (response.status < 400) {
            command.resolve(response);
            return;
        }
        if (response.status >= 500 || response.status === 429) {
            this.enqueue(command);
            return;
        }
        const conflict = response.status === 412;
        if (conflict && command.alreadyApplied?.(response.body?.current)) {
            command.resolve({ status: 200, body: response.body.current, headers: response.headers });
            return;
        }
        const error = new CommandRejected(response.status, response.body, conflict ? 'conflict' : 'rejected');
        command.rollback?.(error);
        this.emit('rejected', { command, error });
        command.reject(error);
    }
}
