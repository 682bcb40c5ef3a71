// Shared by the browser scenarios: the fixture BrowserIT writes, Chromium, and a proxy whose network can be cut.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { chromium } from 'playwright-core';

export const fixture = JSON.parse(readFileSync(process.env.SWITCHBOARD_FIXTURE, 'utf8'));
export const artifacts = process.env.SWITCHBOARD_ARTIFACTS;

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'];

/** Headless Debian Chromium; with a proxy, all of its traffic (localhost too) goes through it. */
export function launch(proxy) {
    return chromium.launch({
        executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS,
        proxy: proxy ? { server: `http://127.0.0.1:${proxy.port}`, bypass: '<-loopback>' } : undefined,
    });
}

/**
 * An HTTP proxy (plain requests, CONNECT tunnels and upgrades) standing for one user's network: cut()
 * drops every open connection and refuses new ones, restore() lets them through again.
 */
export async function cuttableNetwork() {
    const sockets = new Set();
    let offline = false;
    let connections = 0;
    const track = socket => {
        if (!sockets.has(socket)) { // keep-alive reuses sockets: listen once
            sockets.add(socket);
            socket.on('close', () => sockets.delete(socket));
            socket.on('error', () => {});
        }
        return socket;
    };
    const tunnel = (client, host, port, head, firstBytes) => {
        const upstream = track(net.connect(port, host, () => {
            if (firstBytes) upstream.write(firstBytes);
            if (head?.length) upstream.write(head);
            upstream.pipe(client);
            client.pipe(upstream);
        }));
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
    };
    const server = http.createServer((request, response) => {
        const target = new URL(request.url);
        const upstream = http.request({ host: target.hostname, port: target.port, path: target.pathname + target.search,
            method: request.method, headers: request.headers }, answer => {
            response.writeHead(answer.statusCode, answer.headers);
            answer.pipe(response);
        });
        upstream.on('error', () => response.destroy());
        upstream.on('socket', track);
        request.pipe(upstream);
    });
    server.on('connection', socket => {
        connections++;
        track(socket);
        if (offline) socket.destroy();
    });
    server.on('connect', (request, client, head) => {
        const [host, port] = request.url.split(':');
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        tunnel(client, host, Number(port), head);
    });
    server.on('upgrade', (request, client, head) => {
        const target = new URL(request.url);
        const lines = [`${request.method} ${target.pathname}${target.search} HTTP/1.1`,
            ...Object.entries(request.headers).map(([k, v]) => `${k}: ${v}`), '', ''];
        tunnel(client, target.hostname, Number(target.port), head, lines.join('\r\n'));
    });
    server.keepAliveTimeout = 1000;
    await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
    return {
        port: server.address().port,
        get connections() { return connections; },
        cut() {
            offline = true;
            for (const socket of sockets) socket.destroy();
        },
        restore() {
            offline = false;
        },
        close: () => { offline = true; for (const socket of sockets) socket.destroy(); return new Promise(resolve => server.close(resolve)); },
    };
}

/** A REST call as the fixture's admin (or another token). */
export async function api(method, path, body, token = fixture.adminToken, headers = {}) {
    const response = await fetch(fixture.apiUrl + path, {
        method, body: body === undefined ? undefined : JSON.stringify(body),
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...headers },
    });
    const text = await response.text();
    if (response.status >= 400) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return { status: response.status, body: text ? JSON.parse(text) : null, etag: response.headers.get('etag') };
}

/** Opens the console signed in with a token (as an identity provider's redirect would) and waits until it is live. */
export async function openConsole(browser, user, name) {
    const context = await browser.newContext({ viewport: { width: 1400, height: 850 } });
    const page = await context.newPage();
    watch(page, name);
    await page.goto(`${fixture.gatewayUrl}/console/#token=${user.token}`);
    await page.locator('#connection[data-state="live"]').waitFor();
    return page;
}

export async function openWidget(browser) {
    const context = await browser.newContext({ viewport: { width: 480, height: 760 } });
    const page = await context.newPage();
    watch(page, 'customer');
    await page.goto(`${fixture.gatewayUrl}/widget/#token=${fixture.customer.token}&inbox=${fixture.inboxId}`);
    await page.locator('#connection[data-state="live"]').waitFor();
    return page;
}

/** Page errors fail the scenario; console errors are logged (a cut network legitimately produces some). */
export const pageErrors = [];
function watch(page, name) {
    page.on('pageerror', error => { pageErrors.push(`${name}: ${error.message}`); console.log(`[${name}] page error: ${error.message}`); });
    page.on('console', message => message.type() === 'error' && console.log(`[${name}] console: ${message.text()}`));
}

/** The rows of a console's conversation list whose preview shows text. */
export function rowWith(page, text) {
    return page.locator('#conversation-list .row', { hasText: text });
}
