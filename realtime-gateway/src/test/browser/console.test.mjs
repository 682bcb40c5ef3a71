// Two agents and one customer in headless Chromium. Agent A (a supervisor) is on a plain connection; agent B's
// browser goes through a proxy standing for its network, which the scenarios cut and restore.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, artifacts, cuttableNetwork, fixture, launch, openConsole, openWidget, pageErrors, rowWith } from './support.mjs';

let browser;
let proxiedBrowser;
let network;
let agentA;
let agentB;
let customer;
let conversationId;
const listFetches = { A: 0, B: 0 };

before(async () => {
    network = await cuttableNetwork();
    browser = await launch();
    proxiedBrowser = await launch(network);
    agentA = await openConsole(browser, fixture.agentA, 'agent A');
    agentB = await openConsole(proxiedBrowser, fixture.agentB, 'agent B');
    assert.ok(network.connections > 0, "agent B's browser goes through its proxy");
    for (const [name, page] of [['A', agentA], ['B', agentB]]) {
        await page.getByRole('tab', { name: 'All' }).click();
        await page.locator('[data-assignee="all"][aria-selected="true"]').waitFor();
        // from here on, every list request would be a reload: the lists must follow deltas only
        await page.waitForLoadState('networkidle');
        page.on('request', request => { if (/\/api\/v1\/conversations\?/.test(request.url())) listFetches[name]++; });
    }
    customer = await openWidget(browser);
});

after(async () => {
    await browser?.close();
    await proxiedBrowser?.close();
    await network?.close();
});

test('a customer message reaches both agents within 1 s, an assignment reaches the other agent, the customer sees typing and the reply', async () => {
    await customer.fill('#composer-text', 'Hello, my order never arrived');
    const started = customer.waitForResponse(r => r.url().endsWith('/api/v1/conversations') && r.request().method() === 'POST');
    await customer.click('#composer button[type=submit]');
    const response = await started;
    const sentAt = Date.now();
    conversationId = (await response.json()).id;
    await Promise.all([rowWith(agentA, 'my order never arrived').waitFor(), rowWith(agentB, 'my order never arrived').waitFor()]);
    const elapsed = Date.now() - sentAt;
    console.log(`customer message visible in both agents' lists ${elapsed} ms after the server accepted it`);
    assert.ok(elapsed < 1000, `both lists showed the message after ${elapsed} ms (limit 1000 ms)`);
    await rowWith(agentA, 'my order never arrived').locator('.row-meta', { hasText: 'unassigned' }).waitFor();

    // agent A takes it; agent B's list shows the new assignee without a reload
    await rowWith(agentA, 'my order never arrived').click();
    await agentA.locator('#conversation-view:not([hidden])').waitFor();
    await agentA.selectOption('#conversation-assignee', fixture.agentA.id);
    const assigneeName = (await api('GET', `/api/v1/agents/${fixture.agentA.id}`)).body.name;
    await rowWith(agentB, 'my order never arrived').locator('.row-meta', { hasText: assigneeName }).waitFor();
    await customer.locator('#chat-status', { hasText: 'An agent is handling' }).waitFor();

    // typing, then the reply, live in the widget
    await agentA.locator('#composer-text').pressSequentially('We are on it', { delay: 30 });
    await customer.locator('#typing', { hasText: 'Support is typing' }).waitFor();
    await agentA.click('#composer button[type=submit]');
    await customer.locator('.message.theirs', { hasText: 'We are on it' }).waitFor();
    await customer.locator('#typing', { hasText: /^$/ }).waitFor();

    assert.deepEqual(listFetches, { A: 0, B: 0 }, 'no list was reloaded');
    await agentA.waitForTimeout(300);
    await agentA.screenshot({ path: `${artifacts}/console.png` });
    await customer.screenshot({ path: `${artifacts}/widget.png` });
});

test("while agent B is offline it misses nothing, and its offline reply is sent exactly once", async () => {
    await row(agentB, conversationId).click();
    await agentB.locator('#conversation-view:not([hidden])').waitFor();
    await agentB.locator('#messages .message', { hasText: 'We are on it' }).waitFor();

    network.cut();
    await agentB.locator('#connection[data-state="reconnecting"]').waitFor();

    // things happen meanwhile: the customer writes, agent A raises the priority, a new customer chat starts
    await customer.fill('#composer-text', 'Any update on the parcel?');
    await customer.click('#composer button[type=submit]');
    await customer.locator('.message.mine:not(.pending)', { hasText: 'Any update on the parcel?' }).waitFor();
    // agent A acts on what it sees: a change sent before the message's event arrived would carry the version
    // before it and get 412 (the next test covers that conflict)
    await agentA.locator('#messages .message', { hasText: 'Any update on the parcel?' }).waitFor();
    await agentA.selectOption('#conversation-priority', 'urgent');
    await row(agentA, conversationId, '.priority-urgent').waitFor();
    const other = await api('POST', '/api/v1/conversations', { inboxId: fixture.inboxId, message: { content: 'Second customer: billing question' } },
        fixture.customer.token);

    // agent B replies while offline: the reply waits in the queue
    await agentB.fill('#composer-text', 'Reply written offline');
    await agentB.click('#composer button[type=submit]');
    await agentB.locator('.message.pending', { hasText: 'Reply written offline' }).locator('.meta', { hasText: 'queued' }).waitFor();
    await agentB.locator('#queued', { hasText: '1 queued' }).waitFor();

    network.restore();
    await agentB.locator('#connection[data-state="live"]').waitFor({ timeout: 40000 });

    // every missed change is applied...
    await agentB.locator('#messages .message', { hasText: 'Any update on the parcel?' }).waitFor();
    await row(agentB, conversationId, '.priority-urgent').waitFor();
    await rowWith(agentB, 'Second customer: billing question').waitFor();
    assert.equal(await agentB.locator('#conversation-priority').inputValue(), 'urgent');
    // ...and the queued reply went out once: once in B's view, once in A's, once on the server
    await agentB.locator('.message:not(.pending)', { hasText: 'Reply written offline' }).waitFor();
    await agentA.locator('#messages .message', { hasText: 'Reply written offline' }).waitFor();
    await customer.locator('.message.theirs', { hasText: 'Reply written offline' }).waitFor();
    await agentB.waitForTimeout(1000);
    assert.equal(await agentB.locator('#messages .message', { hasText: 'Reply written offline' }).count(), 1);
    assert.equal(await agentA.locator('#messages .message', { hasText: 'Reply written offline' }).count(), 1);
    const messages = (await api('GET', `/api/v1/conversations/${conversationId}/messages?limit=100`)).body.items;
    assert.equal(messages.filter(m => m.content === 'Reply written offline').length, 1);
    assert.equal(await agentB.locator('#queued').textContent(), '');
    assert.ok(other.body.id);
    assert.deepEqual(listFetches, { A: 0, B: 0 }, 'reconnecting resumed the lists instead of reloading them');
});

test('a version conflict on an optimistic change is rolled back with a visible notice', async () => {
    await agentB.locator('#conversation-priority').waitFor();
    network.cut();
    await agentB.locator('#connection[data-state="reconnecting"]').waitFor();
    // agent A changes the priority first...
    await agentA.selectOption('#conversation-priority', 'low');
    await row(agentA, conversationId, '.priority-low').waitFor();
    // ...agent B, still on the old version, picks another one: shown at once, queued
    await agentB.selectOption('#conversation-priority', 'high');
    assert.equal(await agentB.locator('#conversation-priority').inputValue(), 'high');
    await agentB.locator('#queued', { hasText: '1 queued' }).waitFor();

    network.restore();
    await agentB.locator('#connection[data-state="live"]').waitFor({ timeout: 40000 });
    await agentB.locator('.notice', { hasText: 'Priority change rolled back: someone else changed this conversation first' }).waitFor();
    await agentB.screenshot({ path: `${artifacts}/console-conflict.png` });
    await waitUntil(async () => (await agentB.locator('#conversation-priority').inputValue()) === 'low', 'agent B shows the priority agent A set');
    const current = (await api('GET', `/api/v1/conversations/${conversationId}`)).body;
    assert.equal(current.priority, 'low');
    assert.deepEqual(pageErrors, []);
});

test('the customer rates the conversation once an agent resolves it', async () => {
    await agentA.click('#toggle-resolved');
    await agentA.locator('#conversation-status', { hasText: 'resolved' }).waitFor();
    await customer.locator('#chat-status', { hasText: 'Resolved' }).waitFor();
    const saved = customer.waitForResponse(r => r.url().endsWith('/csat') && r.request().method() === 'PUT');
    await customer.getByRole('button', { name: '4 stars' }).click();
    await customer.locator('#rated', { hasText: 'Thanks for your rating (4/5)' }).waitFor();
    assert.ok((await saved).ok(), 'the rating was saved');
    const csat = (await api('GET', `/api/v1/conversations/${conversationId}/csat`)).body;
    assert.equal(csat.rating, 4);
    await customer.screenshot({ path: `${artifacts}/widget-rated.png` });
    // the supervisor's metrics panel follows within a fold tick
    await agentA.locator('#csat-score', { hasText: '100.00% satisfied · 1 rating' }).waitFor();
    assert.deepEqual(pageErrors, []);
});

test('a private note reaches the other agent but not the customer; archiving takes the conversation out of the active list', async () => {
    await customer.fill('#composer-text', 'One more thing');
    await customer.click('#composer button[type=submit]');
    await row(agentA, conversationId).waitFor(); // the customer's message reopened it
    await agentA.check('#composer-note');
    await agentA.fill('#composer-text', 'Internal: check the courier');
    await agentA.click('#composer button[type=submit]');
    await agentB.locator('#messages .message.note', { hasText: 'Internal: check the courier' }).waitFor();
    await agentA.uncheck('#composer-note');
    await agentA.fill('#composer-text', 'Visible answer');
    await agentA.click('#composer button[type=submit]');
    await customer.locator('.message.theirs', { hasText: 'Visible answer' }).waitFor();
    assert.equal(await customer.locator('.message', { hasText: 'Internal: check the courier' }).count(), 0);

    await agentA.click('#toggle-archived');
    await agentA.locator('#conversation-status', { hasText: 'archived' }).waitFor();
    await row(agentB, conversationId).waitFor({ state: 'detached' });
    assert.equal((await api('GET', `/api/v1/conversations/${conversationId}`)).body.archived, true);
    assert.deepEqual(pageErrors, []);
});

test('rows change in place and what the agent is reading does not jump when rows move above it', async () => {
    const ids = [];
    for (let i = 0; i < 30; i++) {
        ids.push((await api('POST', '/api/v1/conversations', { inboxId: fixture.inboxId, message: { content: `Bulk question ${i}` } },
            fixture.customer.token)).body.id);
    }
    await row(agentA, ids[29]).waitFor();
    const list = agentA.locator('#conversation-list');
    await list.evaluate(element => { element.scrollTop = element.scrollHeight / 2; });
    // the row at the top of the visible part, and where it is on screen
    const anchor = await list.evaluate(element => {
        const top = element.getBoundingClientRect().top;
        const row = [...element.children].find(r => r.getBoundingClientRect().bottom > top + 1);
        row.dataset.marker = 'anchor';
        return { id: row.dataset.id, y: row.getBoundingClientRect().top };
    });
    // the oldest conversation (at the bottom) gets a message and moves to the top, above the visible part
    const oldest = ids[0];
    await row(agentA, oldest).evaluate(element => { element.dataset.marker = 'same-node'; });
    await api('POST', `/api/v1/conversations/${oldest}/messages`, { content: 'Bumped to the top' }, fixture.customer.token);
    await agentA.locator('#conversation-list .row:first-child', { hasText: 'Bumped to the top' }).waitFor();
    const after = await agentA.locator(`#conversation-list .row[data-id="${anchor.id}"]`).evaluate(element => ({
        y: element.getBoundingClientRect().top, marker: element.dataset.marker }));
    assert.equal(after.marker, 'anchor');
    assert.ok(Math.abs(after.y - anchor.y) < 2, `the row being read stayed at ${anchor.y}px (now ${after.y}px)`);
    assert.equal(await row(agentA, oldest).getAttribute('data-marker'), 'same-node', 'the moved row is the same element, updated in place');
    assert.deepEqual(listFetches, { A: 0, B: 0 }, 'no list was reloaded');
    assert.deepEqual(pageErrors, []);
});

test('older conversations load on demand beyond the first page', async () => {
    for (let i = 0; i < 25; i++) {
        await api('POST', '/api/v1/conversations', { inboxId: fixture.inboxId, message: { content: `More ${i}` } }, fixture.customer.token);
    }
    const active = (await api('GET', '/api/v1/queue?limit=1')).body.depth;
    assert.ok(active > 50, `more than one page of unassigned conversations (${active})`);
    await agentA.getByRole('tab', { name: 'Unassigned' }).click();
    await agentA.locator('#load-more:not([hidden])').waitFor();
    assert.equal(await agentA.locator('#conversation-list .row').count(), 50);
    await agentA.click('#load-more');
    await agentA.locator('#load-more[hidden]').waitFor({ state: 'attached' });
    assert.equal(await agentA.locator('#conversation-list .row').count(), active);
    assert.deepEqual(pageErrors, []);
});

/** The list row of a conversation (its preview changes with every message, its id does not). */
function row(page, id, classes = '') {
    return page.locator(`#conversation-list .row${classes}[data-id="${id}"]`);
}

async function waitUntil(condition, what, timeoutMs = 10000) {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
        if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
        await new Promise(resolve => setTimeout(resolve, 100));
    }
}
