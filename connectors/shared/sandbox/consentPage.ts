import { DEMO_PEOPLE, type DemoPerson } from '../demoOrg.js';
import type { SandboxResponse } from '../sandboxServer.js';

/**
 * The stand-in for a vendor's sign-in and consent screens: the authorize URL without `login_hint`
 * shows one link per demo user, each the same request with `login_hint` added.
 */
export function demoUserLinks(requestUrl: URL, label: (person: DemoPerson) => string): string {
  return DEMO_PEOPLE.map((person) => {
    const url = new URL(requestUrl.toString());
    url.searchParams.set('login_hint', person.email);
    return `<li><a href="${escapeHtml(url.pathname + url.search)}">${escapeHtml(label(person))}</a></li>`;
  }).join('');
}

export function htmlResponse(status: number, text: string): SandboxResponse {
  return { status, headers: { 'content-type': 'text/html;charset=UTF-8' }, text };
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
