// The agent console: lists, queue, conversation, team and metrics, kept current by deltas from the gateway.
// Nothing here reloads a list because something changed; a list is fetched once per filter (or after a reset).
import { applyEvent } from '../js/switchboard-client.js';
import { Session, createClient, loadClientConfig } from '../js/session.js';
import { h, timeOf, duration, notice, showConnection, MessageList, TypingIndicator, typingSignals } from '../js/ui.js';

const $ = id => document.getElementById(id);
const ACTIVE = ['open', 'pending', 'snoozed'];

const config = await loadClientConfig();
const session = new Session('console', config.apiUrl);
let client;
const agents = new Map();      // id → agent view (with .online from presence)
const contacts = new Map();    // id → Promise<contact name>
let me = null;

// ---- sign-in ----------------------------------------------------------------------------------------------

async function showSignIn() {
    $('signin').hidden = false;
    const accounts = await session.devIdentities();
    const choices = $('signin-choices');
    if (!accounts) {
        choices.append(h('p', {}, 'Open this page with #token=<JWT> from your identity provider.'));
        return;
    }
    choices.append(h('p', {}, 'Local sign-in (dev build): pick an agent.'));
    for (const account of accounts) {
        choices.append(h('h2', {}, account.name), h('ul', { class: 'identities' }, ...account.agents.map(agent =>
            h('li', {}, h('button', { type: 'button', onclick: () => signIn(agent.id) }, `${agent.name} (${agent.role})`)))));
    }
}

async function signIn(agentId) {
    await session.devSignIn({ agentId });
    $('signin').hidden = true;
    start();
}

// ---- start ------------------------------------------------------------------------------------------------

async function start() {
    client = createClient(config, session);
    showConnection(client, $('connection'), $('queued'), messageList);
    client.addEventListener('signed_out', () => { notice('Your session ended. Sign in again.', 'error'); signOut(); });
    client.addEventListener('token_refresh_failed', () => notice('Could not renew your session; it ends when the token expires.', 'error'));
    client.addEventListener('typing', e => typingFrame(e.detail));
    client.addEventListener('presence', e => presenceFrame(e.detail));
    client.addEventListener('reset', e => notice(`Resynchronising (${e.detail.reason})`));
    client.addEventListener('server_error', e => e.detail.code === 'rate_limited' && notice('Slow down: too many actions at once.', 'error'));
    try {
        me = (await client.get('/api/v1/agents/me')).body;
    } catch (error) {
        notice(`Sign-in failed: ${error.message}`, 'error');
        signOut();
        return;
    }
    $('app').hidden = false;
    $('me').textContent = `${me.name} · ${me.role}`;
    $('my-status').value = me.status;
    client.connect();
    await loadTeam();
    selectFilter({ assignee: 'me', status: '', archived: false });
    loadQueue();
    subscribeMetrics();
    setInterval(tickWaitTimes, 1000);
}

function signOut() {
    client?.close();
    session.signOut();
    location.reload();
}
$('sign-out').addEventListener('click', signOut);

// ---- keyed lists (conversation list and queue) ---------------------------------------------------------------

/**
 * A list of conversations kept in order by deltas: rows are created, updated and moved in place (never
 * re-rendered wholesale), new rows animate in, and the rows the user is looking at stay where they are.
 */
class ConversationRows {
    constructor(element, { order, render }) {
        this.element = element;
        this.order = order;
        this.render = render;
        this.items = new Map();
    }

    replaceAll(items) {
        this.element.replaceChildren();
        this.items.clear();
        for (const item of items) this.upsert(item, false);
    }

    get(id) {
        return this.items.get(id);
    }

    upsert(item, animate = true) {
        const known = this.items.get(item.id);
        if (known && known.version > item.version) return known;
        const merged = { ...known, ...item };
        this.items.set(item.id, merged);
        keepingScroll(this.element, () => {
            let row = this.element.querySelector(`[data-id="${item.id}"]`);
            const fresh = this.render(merged);
            if (row) {
                row.replaceChildren(...fresh.childNodes);
                row.className = fresh.className;
            } else {
                row = fresh;
                if (animate) row.classList.add('entering');
            }
            this.place(row, merged);
        });
        return merged;
    }

    /** Applies an event to a row this list shows, if the event is newer than the row. */
    change(frame) {
        const known = this.items.get(frame.id);
        const merged = known && applyEvent(known, frame);
        if (merged) this.upsert(merged);
    }

    remove(id) {
        this.items.delete(id);
        const row = this.element.querySelector(`[data-id="${id}"]`);
        if (!row) return;
        row.classList.add('leaving');
        setTimeout(() => keepingScroll(this.element, () => row.remove()), 250);
    }

    place(row, item) {
        const siblings = [...this.element.children].filter(other => other !== row && !other.classList.contains('leaving'));
        const before = siblings.find(other => this.order(item, this.items.get(other.dataset.id)) < 0);
        if (before) {
            if (row.nextSibling !== before) this.element.insertBefore(row, before);
        } else if (row.parentNode !== this.element || row !== this.element.lastElementChild) {
            this.element.append(row);
        }
    }
}

/** Runs a DOM change without moving what the user sees: rows inserted above the viewport shift scrollTop. */
function keepingScroll(list, mutate) {
    if (list.scrollTop === 0) {
        mutate();
        return;
    }
    const anchor = [...list.children].find(row => row.offsetTop + row.offsetHeight > list.scrollTop);
    const before = anchor?.offsetTop;
    mutate();
    if (anchor?.isConnected) list.scrollTop += anchor.offsetTop - before;
}

const byActivity = (a, b) => (b?.lastActivityAt || '').localeCompare(a?.lastActivityAt || '');
const byWait = (a, b) => (a?.waitingSince || '').localeCompare(b?.waitingSince || '');

function contactName(contactId) {
    if (!contacts.has(contactId)) {
        contacts.set(contactId, client.get(`/api/v1/contacts/${contactId}`).then(r => r.body.name || 'Customer', () => 'Customer'));
    }
    return contacts.get(contactId);
}

/** A row whose customer name fills in when known (cached per contact). */
function nameSlot(contactId) {
    const slot = h('span', { class: 'name' }, '…');
    contactName(contactId).then(name => { slot.textContent = name; });
    return slot;
}

function agentName(id) {
    return id ? agents.get(id)?.name || 'an agent' : 'unassigned';
}

const list = new ConversationRows($('conversation-list'), {
    order: byActivity,
    render: c => h('li', { class: `row priority-${c.priority}${c.id === selectedId ? ' selected' : ''}`, dataset: { id: c.id },
            onclick: () => select(c.id) },
        h('div', { class: 'row-top' }, nameSlot(c.contactId),
            c.agentUnreadCount > 0 ? h('span', { class: 'badge unread', title: 'unread' }, String(c.agentUnreadCount)) : null),
        h('div', { class: 'preview' }, c.lastMessagePreview || ''),
        h('div', { class: 'row-meta' }, h('span', { class: `status-pill ${c.status}` }, c.status), ` ${c.priority} · ${agentName(c.assigneeId)} · ${timeOf(c.lastActivityAt)}`)),
});

let listGeneration = 0;
let filter;

function listQuery(f) {
    const query = new URLSearchParams({ limit: '50', archived: String(f.archived) });
    if (f.assignee !== 'all') query.set('assignee', f.assignee);
    for (const status of f.status ? [f.status] : f.archived ? [] : ACTIVE) query.append('status', status);
    return query;
}

function subscriptionFilter(f) {
    const result = { archived: f.archived };
    if (f.assignee !== 'all') result.assignee = f.assignee;
    if (f.status) result.status = f.status;
    else if (!f.archived) result.status = ACTIVE;
    return result;
}

/** Loads the snapshot for a filter once, then follows it from the snapshot's cursor. */
async function selectFilter(next) {
    filter = next;
    const previous = `list-${listGeneration}`;
    const id = `list-${++listGeneration}`;
    client.unsubscribe(previous);
    for (const tab of document.querySelectorAll('[data-assignee]')) tab.setAttribute('aria-selected', String(tab.dataset.assignee === filter.assignee));
    const snapshot = await client.get(`/api/v1/conversations?${listQuery(filter)}`);
    if (id !== `list-${listGeneration}`) return; // a newer filter won
    list.replaceAll(snapshot.body.items);
    showOlder(snapshot.body.nextCursor);
    client.subscribe(id, 'conversations', {
        filter: subscriptionFilter(filter), since: snapshot.body.eventCursor,
        onEvent: (frame, op) => listEvent(frame, op),
        onReset: () => selectFilter(filter),
        onError: frame => notice(`List not live: ${frame.message}`, 'error'),
    });
}

/** Older pages are fetched on demand; they are current, so merging them by version is safe while deltas flow. */
let olderCursor = null;
function showOlder(cursor) {
    olderCursor = cursor;
    $('load-more').hidden = !cursor;
}

$('load-more').addEventListener('click', async () => {
    const generation = listGeneration;
    const query = listQuery(filter);
    query.set('cursor', olderCursor);
    const page = await client.get(`/api/v1/conversations?${query}`);
    if (generation !== listGeneration) return;
    for (const item of page.body.items) list.upsert(item, false);
    showOlder(page.body.nextCursor);
});

function listEvent(frame, op) {
    if (frame.entity !== 'conversation') return;
    if (op === 'leave') list.remove(frame.id);
    else if (op === 'enter' && frame.data) list.upsert(frame.data);
    else list.change(frame);
}

for (const tab of document.querySelectorAll('[data-assignee]')) {
    tab.addEventListener('click', () => selectFilter({ ...filter, assignee: tab.dataset.assignee }));
}
$('filter-status').addEventListener('change', e => selectFilter({ ...filter, status: e.target.value }));
$('filter-archived').addEventListener('change', e => selectFilter({ ...filter, archived: e.target.checked }));

// ---- waiting queue ---------------------------------------------------------------------------------------------

let queueDepth = 0;
const queue = new ConversationRows($('queue'), {
    order: byWait,
    render: c => h('li', { class: 'row', dataset: { id: c.id, waitingSince: c.waitingSince || '' }, onclick: () => select(c.id) },
        nameSlot(c.contactId), h('span', { class: 'wait' }, waitText(c.waitingSince))),
});

function waitText(since) {
    return since ? duration((Date.now() - Date.parse(since)) / 1000) : '';
}

function tickWaitTimes() {
    for (const row of $('queue').children) {
        const wait = row.querySelector('.wait');
        if (wait) wait.textContent = waitText(row.dataset.waitingSince);
    }
}

function showDepth(depth) {
    queueDepth = Math.max(0, depth);
    $('queue-depth').textContent = String(queueDepth);
}

async function loadQueue() {
    const snapshot = await client.get('/api/v1/queue?limit=50');
    queue.replaceAll(snapshot.body.items);
    showDepth(snapshot.body.depth);
    client.subscribe('queue', 'queue', {
        since: snapshot.body.eventCursor,
        onEvent: (frame, op) => {
            if (frame.entity !== 'conversation') return;
            if (op === 'leave') {
                if (queue.get(frame.id)) showDepth(queueDepth - 1);
                queue.remove(frame.id);
            } else if (op === 'enter') {
                if (!queue.get(frame.id)) showDepth(queueDepth + 1);
                if (frame.data) queue.upsert(frame.data);
            } else {
                queue.change(frame);
            }
        },
        onReset: () => { client.unsubscribe('queue'); loadQueue(); },
    });
}

// ---- team and status ----------------------------------------------------------------------------------------

async function loadTeam() {
    for (const agent of (await client.get('/api/v1/agents')).body) agents.set(agent.id, agent);
    renderTeam();
    client.subscribe('agents', 'agents', {
        onEvent: frame => {
            if (frame.entity !== 'agent') return;
            const merged = applyEvent(agents.get(frame.id), frame);
            if (!merged) return;
            agents.set(frame.id, merged);
            if (frame.id === me.id && frame.changes?.status) $('my-status').value = frame.changes.status;
            renderTeam();
            renderAssigneeOptions();
        },
    });
}

function presenceFrame(frame) {
    const agent = agents.get(frame.agentId);
    if (!agent || (agent.presenceSeq ?? -1) > frame.seq) return;
    agent.presenceSeq = frame.seq;
    agent.online = frame.online;
    renderTeam();
}

function renderTeam() {
    $('team').replaceChildren(...[...agents.values()].sort((a, b) => a.name.localeCompare(b.name)).map(agent =>
        h('li', { class: `agent status-${agent.status}`, dataset: { id: agent.id } },
            h('span', { class: 'dot', title: agent.status }), agent.name,
            h('span', { class: 'agent-status' }, agent.online === undefined ? agent.status : `${agent.status}${agent.online ? ' · connected' : ''}`))));
}

$('my-status').addEventListener('change', e => {
    const previous = agents.get(me.id)?.status || me.status;
    const status = e.target.value;
    client.command({
        method: 'PUT', path: '/api/v1/agents/me/status', body: { status }, label: 'status',
        rollback: error => { $('my-status').value = previous; notice(`Status change rolled back: ${error.message}`, 'error'); },
    }).catch(() => {});
});

// ---- conversation view ----------------------------------------------------------------------------------------

let selectedId = null;
let conversation = null;
const messageList = new MessageList($('messages'), {
    viewer: 'agent',
    senderName: m => m.senderKind === 'customer' ? 'Customer' : m.senderKind === 'agent' ? (m.senderId === me.id ? 'You' : agentName(m.senderId)) : 'System',
});
const typing = new TypingIndicator($('typing'));
const stopTyping = typingSignals($('composer-text'), state => selectedId && client.typing(selectedId, state, $('composer-note').checked));

async function select(id) {
    if (selectedId) client.unsubscribe(`conversation-${selectedId}`);
    selectedId = id;
    for (const row of document.querySelectorAll('.conversation-list .row')) row.classList.toggle('selected', row.dataset.id === id);
    $('no-selection').hidden = true;
    $('conversation-view').hidden = false;
    messageList.clear();
    typing.hide();
    // Messages first, then the conversation: the conversation is at least as new as the messages' cursor,
    // and replayed conversation events older than it are ignored by version. Marking it read answers with
    // the conversation too, so the version later changes are made against already includes the read.
    const page = await client.get(`/api/v1/conversations/${id}/messages?limit=50`);
    const current = await markRead(id);
    if (selectedId !== id) return;
    showConversation(current.body);
    messageList.addPage(page.body.items);
    client.subscribe(`conversation-${id}`, `conversation:${id}`, {
        since: page.body.eventCursor,
        onEvent: frame => conversationEvent(id, frame),
        onReset: () => select(id),
        onError: frame => notice(`Conversation not live: ${frame.message}`, 'error'),
    });
}

async function markRead(id) {
    const response = await client.request('POST', `/api/v1/conversations/${id}/read`);
    if (response.status >= 400) throw new Error(response.body?.detail || `HTTP ${response.status}`);
    return response;
}

/** New customer messages in the open conversation are read at once (batched, one call a second at most). */
let readTimer = null;
function readSoon(id) {
    clearTimeout(readTimer);
    readTimer = setTimeout(() => selectedId === id && markRead(id).catch(() => {}), 1000);
}

function conversationEvent(id, frame) {
    if (id !== selectedId) return;
    if (frame.entity === 'message' && frame.event === 'message.created' && frame.data) {
        messageList.add(frame.data);
        if (frame.data.senderKind === 'customer') {
            typing.hide();
            readSoon(id);
        }
    } else if (frame.entity === 'conversation') {
        const merged = applyEvent(conversation, frame);
        if (merged) showConversation(merged);
    }
}

function showConversation(view) {
    conversation = view;
    contactName(view.contactId).then(name => { if (conversation.id === view.id) $('conversation-title').textContent = name; });
    $('conversation-status').textContent = view.archived ? `${view.status} · archived` : view.status;
    $('conversation-status').className = `status-pill ${view.status}`;
    $('conversation-priority').value = view.priority;
    $('toggle-resolved').textContent = view.status === 'resolved' ? 'Reopen' : 'Resolve';
    $('toggle-archived').textContent = view.archived ? 'Unarchive' : 'Archive';
    renderAssigneeOptions();
}

function renderAssigneeOptions() {
    if (!conversation) return;
    const select = $('conversation-assignee');
    select.replaceChildren(h('option', { value: '' }, 'Unassigned'),
        ...[...agents.values()].map(agent => h('option', { value: agent.id }, agent.id === me.id ? `${agent.name} (me)` : agent.name)));
    select.value = conversation.assigneeId || '';
}

/**
 * A change to the open conversation: shown at once, sent with the version it was made against, rolled
 * back with a notice if the server refuses it or someone else changed the conversation first.
 */
function changeConversation(label, method, path, body, fields) {
    const base = conversation;
    const conversationPath = `/api/v1/conversations/${base.id}`;
    client.command({
        method, path: conversationPath + path, body, ifMatch: base.version, label,
        apply: () => { showConversation({ ...base, ...fields }); list.get(base.id) && list.upsert({ ...list.get(base.id), ...fields }); },
        alreadyApplied: current => current && Object.entries(fields).every(([key, value]) => current[key] === value),
        rollback: error => {
            const current = error.problem?.current;
            const restored = current && current.id === base.id ? current : base;
            if (conversation?.id === base.id) showConversation(restored);
            if (list.get(base.id)) list.upsert({ ...list.get(base.id), ...restored }, false);
            const why = error.kind === 'conflict' ? 'someone else changed this conversation first' : error.message;
            notice(`${label} rolled back: ${why}.`, 'error');
        },
    }).then(response => {
        if (conversation?.id === response.body.id && response.body.version >= conversation.version) showConversation(response.body);
    }, () => {});
}

$('conversation-priority').addEventListener('change', e =>
    changeConversation('Priority change', 'PATCH', '', { priority: e.target.value }, { priority: e.target.value }));
$('conversation-assignee').addEventListener('change', e => {
    const assigneeId = e.target.value || null;
    changeConversation(assigneeId ? 'Assignment' : 'Unassignment', 'PUT', '/assignment',
        { assigneeId, teamId: conversation.teamId }, { assigneeId });
});
$('toggle-resolved').addEventListener('click', () => {
    const status = conversation.status === 'resolved' ? 'open' : 'resolved';
    changeConversation(status === 'resolved' ? 'Resolve' : 'Reopen', 'PATCH', '', { status }, { status });
});
$('toggle-archived').addEventListener('click', () => {
    const archived = !conversation.archived;
    changeConversation(archived ? 'Archive' : 'Unarchive', 'POST', archived ? '/archive' : '/unarchive', undefined, { archived });
});

$('composer').addEventListener('submit', e => {
    e.preventDefault();
    const content = $('composer-text').value.trim();
    if (!content || !selectedId) return;
    const privateNote = $('composer-note').checked;
    const key = crypto.randomUUID();
    const conversationId = selectedId;
    stopTyping();
    $('composer-text').value = '';
    client.command({
        method: 'POST', path: `/api/v1/conversations/${conversationId}/messages`, key,
        body: { content, privateNote, clientMessageId: key }, label: privateNote ? 'Note' : 'Reply',
        apply: () => messageList.addPending(key, content, privateNote, client.state !== 'live'),
        rollback: error => { messageList.markFailed(key, error.message); notice(`Message not sent: ${error.message}`, 'error'); },
    }).then(response => { if (selectedId === conversationId) messageList.add(response.body); }, () => {});
});

function typingFrame(frame) {
    if (frame.conversationId !== selectedId || (frame.sender.kind === 'agent' && frame.sender.id === me.id)) return;
    if (!frame.typing) typing.hide();
    else typing.show(frame.sender.kind === 'customer' ? 'Customer' : agentName(frame.sender.id), frame.expiresInMs);
}

// ---- metrics ----------------------------------------------------------------------------------------------

function subscribeMetrics() {
    if (me.role === 'agent') {
        $('metrics-unavailable').hidden = false;
        return;
    }
    client.subscribe('metrics', 'metrics', {
        onMetrics: renderMetrics,
        onError: frame => { $('metrics-unavailable').hidden = false; $('metrics-unavailable').textContent = `Metrics unavailable: ${frame.message}`; },
    });
}

function renderMetrics(d) {
    $('metrics-body').hidden = false;
    const overview = [['Active', d.overview.activeConversations], ['Waiting', d.overview.waiting],
        ['Resolved today', d.overview.resolvedToday], ['Agents online', d.overview.onlineAgents],
        ['Avg wait', duration(d.queue.averageWaitSeconds)], ['Longest wait', duration(d.queue.longestWaitSeconds)]];
    $('metrics-overview').replaceChildren(...overview.map(([label, value]) => h('div', {}, h('dt', {}, label), h('dd', {}, String(value)))));
    const csat = d.csat.current;
    $('csat-score').textContent = csat.ratings ? `${percent(csat.satisfactionScore)} satisfied · ${csat.ratings} rating${csat.ratings === 1 ? '' : 's'} · avg ${csat.averageRating}` : 'no ratings yet';
    $('csat-distribution').replaceChildren(...csat.distribution.map(r =>
        h('div', { class: 'bar' }, h('span', { class: 'bar-label' }, `${r.rating}★`),
            h('span', { class: 'bar-fill', style: `width:${Number(r.share || 0)}%` }), h('span', { class: 'bar-value' }, String(r.count)))));
    $('messages-total').textContent = `${d.messages.total} (${d.messages.incoming} in / ${d.messages.outgoing} out)`;
    $('messages-by-type').replaceChildren(...chips(d.messages.byType));
    $('messages-by-status').replaceChildren(...chips(d.messages.byStatus));
    const peak = Math.max(1, ...d.messages.perHour.map(hour => hour.messages));
    $('messages-per-hour').replaceChildren(...d.messages.perHour.map(hour =>
        h('span', { class: 'hour', title: `${timeOf(hour.hour)}: ${hour.messages}`, style: `height:${Math.round(100 * hour.messages / peak)}%` })));
    $('metrics-agents').replaceChildren(...d.agents.agents.map(a => h('tr', {},
        h('td', {}, a.name), h('td', {}, a.status), h('td', {}, String(a.handled)), h('td', {}, String(a.resolved)),
        h('td', {}, duration(a.averageFirstResponseSeconds)), h('td', {}, a.ratings ? percent(a.satisfactionScore) : '–'))));
}

/** Figures arrive as JSON numbers (100.00 parses to 100); show them as the definition states them: 2 decimals. */
function percent(value) {
    return `${Number(value).toFixed(2)}%`;
}

function chips(counts) {
    return Object.entries(counts).map(([name, count]) => h('span', { class: 'chip' }, `${name} ${count}`));
}

// ---- boot (last, so every declaration above is initialised) ------------------------------------------------

if (session.token) start();
else showSignIn();
