import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendError } from './http.js';
import type { WebPeople, WebPerson } from './people.js';

export interface SignedInSession {
  readonly tenantId: string;
  readonly userId: string;
}

/** The signed-in person behind a request (the sign-in session shared with /ops), or null. */
export interface SignedInLookup {
  find(req: IncomingMessage): Promise<SignedInSession | null>;
  /** Why a state-changing request must be refused (foreign origin, missing CSRF token), or null. */
  refuseWrite?(req: IncomingMessage, session: SignedInSession): string | null;
}

/**
 * Who a playground request acts as. In the embedded demo it is the person the page picked; once
 * deployed it is only the person signed in, and an id in the request that names anyone else is
 * refused rather than quietly replaced, so a forged request is visible as one.
 */
export class WebIdentity {
  constructor(
    private readonly people: WebPeople,
    private readonly tenantId: string,
    private readonly signedIn?: SignedInLookup,
  ) {}

  get mode(): 'demo' | 'signed-in' {
    return this.signedIn ? 'signed-in' : 'demo';
  }

  /** The acting person, or undefined after answering 401/403 itself. */
  async actor(req: IncomingMessage, res: ServerResponse, requestedUserId: string, kind: 'read' | 'write' = 'read'): Promise<WebPerson | undefined> {
    if (!this.signedIn) {
      const person = await this.people.byId(requestedUserId);
      if (!person) sendError(res, 403, 'unknown_user', 'That person is not a member of this workspace.');
      return person ?? undefined;
    }
    const me = await this.signedInPerson(req, res, kind);
    if (me && me.id !== requestedUserId) {
      sendError(res, 403, 'not_signed_in_person', `You are signed in as ${me.email}; the playground acts only as you.`);
      return undefined;
    }
    return me;
  }

  /** Everyone of the tenant in the demo; only yourself once deployed. Undefined after answering. */
  async visiblePeople(req: IncomingMessage, res: ServerResponse): Promise<WebPerson[] | undefined> {
    if (!this.signedIn) return this.people.list();
    const me = await this.signedInPerson(req, res, 'read');
    return me ? [me] : undefined;
  }

  private async signedInPerson(req: IncomingMessage, res: ServerResponse, kind: 'read' | 'write'): Promise<WebPerson | undefined> {
    const session = await this.signedIn!.find(req);
    if (!session) {
      sendError(res, 401, 'unauthenticated', 'Please sign in first; the playground acts only as the signed-in person.');
      return undefined;
    }
    const refusal = kind === 'write' ? this.signedIn!.refuseWrite?.(req, session) : null;
    if (refusal) {
      sendError(res, 403, 'forbidden', refusal);
      return undefined;
    }
    const person = session.tenantId === this.tenantId ? await this.people.byId(session.userId) : null;
    if (!person) {
      sendError(res, 403, 'unknown_user', 'Your account is not a member of the workspace this playground serves.');
      return undefined;
    }
    return person;
  }
}
