// The customer widget: start a chat, write, see replies and typing live, rate the conversation once resolved.
import { applyEvent } from '../js/switchboard-client.js';
import { Session, createClient, loadClientConfig } from '../js/session.js';
import { h, notice, showConnection, MessageList, TypingIndicator, typingSignals } from '../js/ui.js';

const $ = id => document.getElementById(id);
const config = await loadClientConfig();
const session = new Session('widget', config.apiUrl);
let client;
let conversation = null;
const messageList = new MessageList($('messages'), {
    viewer: 'customer',
    senderName: m => m.senderKind === 'customer' ? 'You' : m.senderKind === 'agent' ? 'Support' : 'System',
});
const typing = new TypingIndicator($('typing'));

async function showSignIn() {
    $('signin').hidden = false;
    const accounts = await session.devIdentities();
    const choices = $('signin-choices');
    if (!accounts) {
        choices.append(h('p', {}, 'Open this page with #token=<customer JWT>&inbox=<inbox id>.'));
        return;
    }
    const name = h('input', { id: 'customer-name', placeholder: 'Your name', required: true, value: 'Robin Customer' });
    const inbox = h('select', { id: 'customer-inbox' }, ...accounts.flatMap(account => account.inboxes.map(i =>
        h('option', { value: `${account.id}/${i.id}` }, `${account.name} · ${i.name}`))));
    choices.append(h('form', { class: 'signin-form', onsubmit: async e => {
        e.preventDefault();
        const [accountId, inboxId] = inbox.value.split('/');
        await session.devSignIn({ accountId, customerSubject: `web-${crypto.randomUUID()}`, customerName: name.value }, { inbox: inboxId });
        $('signin').hidden = true;
        start();
    } }, h('label', {}, 'Name ', name), h('label', {}, 'Where ', inbox), h('button', { type: 'submit' }, 'Start chatting')));
}

async function start() {
    $('chat').hidden = false;
    client = createClient(config, session);
    showConnection(client, $('connection'), $('queued'), messageList);
    client.addEventListener('typing', e => {
        if (e.detail.sender.kind !== 'agent' || e.detail.conversationId !== conversation?.id) return;
        if (e.detail.typing) typing.show('Support', e.detail.expiresInMs);
        else typing.hide();
    });
    client.addEventListener('signed_out', () => { notice('Your chat session ended.', 'error'); session.signOut(); });
    client.connect();
    if (session.extra.conversationId) await follow(session.extra.conversationId);
}

/** Loads the conversation's messages and follows it from their cursor. */
async function follow(id) {
    const page = await client.get(`/api/v1/conversations/${id}/messages?limit=50`);
    const current = await client.get(`/api/v1/conversations/${id}`);
    showConversation(current.body);
    messageList.addPage(page.body.items);
    client.subscribe('chat', `conversation:${id}`, {
        since: page.body.eventCursor,
        onEvent: frame => {
            if (frame.entity === 'message' && frame.event === 'message.created' && frame.data) {
                messageList.add(frame.data);
                if (frame.data.senderKind === 'agent') typing.hide();
            } else if (frame.entity === 'conversation') {
                const merged = applyEvent(conversation, frame);
                if (merged) showConversation(merged);
            } else if (frame.entity === 'csat_rating') {
                showRated(frame.data?.rating ?? frame.changes?.rating);
            }
        },
        onReset: () => { client.unsubscribe('chat'); messageList.clear(); follow(id); },
    });
}

function showConversation(view) {
    conversation = view;
    session.save({ ...session.state, extra: { ...session.extra, conversationId: view.id } });
    const resolved = view.status === 'resolved';
    $('chat-status').textContent = resolved ? 'Resolved. Write again to reopen the conversation.'
        : view.assigneeId ? 'An agent is handling your conversation.' : 'Waiting for an agent…';
    $('rating').hidden = !resolved || !$('rated').hidden;
    if (!resolved) $('rated').hidden = true;
}

function showRated(rating) {
    $('rating').hidden = true;
    $('rated').hidden = false;
    $('rated').textContent = `Thanks for your rating (${rating}/5).`;
}

const stopTyping = typingSignals($('composer-text'), state => conversation && client.typing(conversation.id, state));

$('composer').addEventListener('submit', e => {
    e.preventDefault();
    const content = $('composer-text').value.trim();
    if (!content) return;
    const key = crypto.randomUUID();
    stopTyping();
    $('composer-text').value = '';
    const message = { content, clientMessageId: key };
    const starting = !conversation;
    client.command({
        key, label: 'Message',
        method: 'POST',
        path: starting ? '/api/v1/conversations' : `/api/v1/conversations/${conversation.id}/messages`,
        body: starting ? { inboxId: session.extra.inbox, message } : message,
        apply: () => messageList.addPending(key, content, false, client.state !== 'live'),
        rollback: error => { messageList.markFailed(key, error.message); notice(`Message not sent: ${error.message}`, 'error'); },
    }).then(response => starting ? follow(response.body.id) : messageList.add(response.body), () => {});
});

$('rating').addEventListener('submit', e => {
    e.preventDefault();
    const rating = Number(e.submitter.value);
    client.command({
        method: 'PUT', path: `/api/v1/conversations/${conversation.id}/csat`, body: { rating }, label: 'Rating',
        apply: () => showRated(rating),
        rollback: error => { $('rated').hidden = true; $('rating').hidden = false; notice(`Rating not saved: ${error.message}`, 'error'); },
    }).catch(() => {});
});

if (session.token) start();
else showSignIn();
