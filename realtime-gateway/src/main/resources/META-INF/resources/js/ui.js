// Rendering helpers shared by the console and the widget: elements, times, notices, messages, typing.

/** Creates an element: h('li', { class: 'row', dataset: { id } }, 'text', child). */
export function h(tag, attributes = {}, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
        if (name === 'dataset') Object.assign(element.dataset, value);
        else if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
        else if (value !== undefined && value !== null && value !== false) element.setAttribute(name, value === true ? '' : value);
    }
    element.append(...children.filter(child => child !== null && child !== undefined));
    return element;
}

export function timeOf(instant) {
    return new Date(instant).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function duration(seconds) {
    if (seconds === null || seconds === undefined) return '–';
    const s = Math.max(0, Math.round(seconds));
    return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m ${s % 60}s` : `${Math.floor(s / 3600)}h ${Math.floor(s / 60) % 60}m`;
}

/** Shows a transient notice; kind 'error' stays longer. */
export function notice(text, kind = 'info') {
    const area = document.getElementById('notices');
    const item = h('div', { class: `notice ${kind}`, role: 'status' }, text);
    area.append(item);
    setTimeout(() => item.remove(), kind === 'error' ? 10000 : 5000);
}

/** Messages of a conversation, rendered and updated in place (shared by the console and the widget). */
export class MessageList {
    constructor(element, { viewer, senderName }) {
        this.element = element;
        this.viewer = viewer; // 'agent' | 'customer'
        this.senderName = senderName;
        this.ids = new Set();
    }

    clear() {
        this.element.replaceChildren();
        this.ids.clear();
    }

    /** Adds a server message, replacing its optimistic copy (same clientMessageId) if there is one. */
    add(message) {
        if (this.ids.has(message.id)) return;
        this.ids.add(message.id);
        const pending = message.clientMessageId
            && this.element.querySelector(`[data-client-id="${CSS.escape(message.clientMessageId)}"]`);
        const item = this.render(message, false);
        if (pending) pending.replaceWith(item);
        else this.append(item);
    }

    /** A page as the API lists it (newest first), shown oldest first. */
    addPage(messages) {
        for (let i = messages.length - 1; i >= 0; i--) this.add(messages[i]);
    }

    /** An optimistic message not yet confirmed by the server. */
    addPending(clientMessageId, content, privateNote, queued) {
        const item = this.render({ clientMessageId, content, privateNote, senderKind: this.viewer, createdAt: new Date().toISOString() }, true);
        item.querySelector('.meta').textContent = queued ? 'queued (offline)' : 'sending…';
        this.append(item);
    }

    markFailed(clientMessageId, reason) {
        const pending = this.element.querySelector(`[data-client-id="${CSS.escape(clientMessageId)}"]`);
        if (!pending) return;
        pending.classList.add('failed');
        pending.querySelector('.meta').textContent = `not sent: ${reason}`;
    }

    markSending() {
        for (const item of this.element.querySelectorAll('.pending .meta')) item.textContent = 'sending…';
    }

    render(message, pending) {
        const mine = message.senderKind === this.viewer;
        const classes = ['message', mine ? 'mine' : 'theirs', message.privateNote ? 'note' : '', pending ? 'pending' : '']
            .filter(Boolean).join(' ');
        return h('li', { class: classes, dataset: { id: message.id || '', clientId: message.clientMessageId || '' } },
            h('div', { class: 'sender' }, message.privateNote ? `Private note · ${this.senderName(message)}` : this.senderName(message)),
            h('div', { class: 'content' }, message.content || `[${message.type}]`),
            h('div', { class: 'meta' }, timeOf(message.createdAt)));
    }

    append(item) {
        const atBottom = this.element.scrollHeight - this.element.scrollTop - this.element.clientHeight < 40;
        this.element.append(item);
        if (atBottom) this.element.scrollTop = this.element.scrollHeight;
    }
}

/** "X is typing…" with the signal's expiry. */
export class TypingIndicator {
    constructor(element) {
        this.element = element;
        this.timer = null;
    }

    show(label, expiresInMs) {
        clearTimeout(this.timer);
        this.element.textContent = `${label} is typing…`;
        this.timer = setTimeout(() => this.hide(), expiresInMs);
    }

    hide() {
        clearTimeout(this.timer);
        this.element.textContent = '';
    }
}

/** Sends typing signals while the user types, at most one per interval, and "stopped" when idle. */
export function typingSignals(input, send, intervalMs = 1500) {
    let last = 0;
    let idle = null;
    input.addEventListener('input', () => {
        const now = Date.now();
        if (now - last > intervalMs) {
            last = now;
            send(true);
        }
        clearTimeout(idle);
        idle = setTimeout(() => { last = 0; send(false); }, 3000);
    });
    return () => { clearTimeout(idle); if (last) send(false); last = 0; };
}

const STATE_LABELS = { connecting: 'connecting…', live: 'live', reconnecting: 'reconnecting…', offline: 'offline' };

/** Keeps the connection indicator and the queued-commands count current; pending messages show "sending…" on replay. */
export function showConnection(client, indicator, queued, messageList) {
    client.addEventListener('state', e => {
        indicator.dataset.state = e.detail.state;
        indicator.textContent = STATE_LABELS[e.detail.state];
    });
    client.addEventListener('queue', e => {
        queued.textContent = e.detail.size ? `${e.detail.size} queued` : '';
        if (e.detail.replaying) messageList.markSending();
    });
}
