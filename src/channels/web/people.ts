import type { PrismaClient } from '../../generated/prisma/client.js';
import type { PlatformDirectory } from '../../gateway/gateway.js';

export interface WebPerson {
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
  readonly roles: readonly string[];
}

/**
 * The playground's "who am I": the active users of its one tenant, looked up by id (always within
 * that tenant). Someone removed from the tenants file is not offered and cannot be acted as.
 */
export class WebPeople {
  constructor(private readonly prisma: PrismaClient, private readonly tenantId: string) {}

  async list(): Promise<WebPerson[]> {
    const rows = await this.prisma.user.findMany({ where: { tenantId: this.tenantId, deactivatedAt: null }, orderBy: { displayName: 'asc' } });
    return rows.map(toPerson);
  }

  async byId(userId: string): Promise<WebPerson | null> {
    const row = await this.prisma.user.findFirst({ where: { tenantId: this.tenantId, id: userId, deactivatedAt: null } });
    return row ? toPerson(row) : null;
  }

  /** Lets the gateway match a web identity to its tenant user by email, like Slack's users.info. */
  directory(): PlatformDirectory {
    return {
      lookup: async ({ externalId, teamId }) => {
        if (teamId !== WEB_TEAM_ID) return null;
        const person = await this.byId(externalId).catch(() => null);
        return person ? { email: person.email, displayName: person.displayName } : null;
      },
    };
  }
}

/** teamId of every web platform identity. */
export const WEB_TEAM_ID = 'web';

function toPerson(row: { id: string; email: string; displayName: string; roles: string[] }): WebPerson {
  return { id: row.id, email: row.email, displayName: row.displayName, roles: row.roles };
}
