import type { PrismaClient } from '../../generated/prisma/client.js';
import type { SecretBox } from '../crypto/secretBox.js';
import { TenantRepository } from './tenants.js';
import { UserRepository } from './users.js';
import { PlatformIdentityRepository } from './platformIdentities.js';
import { ChannelInstallationRepository } from './channelInstallations.js';
import { ConnectorAccountRepository } from './connectorAccounts.js';
import { OAuthStateRepository } from './oauthStates.js';
import { ConversationRepository } from './conversations.js';
import { MessageRepository } from './messages.js';
import { UserFactRepository } from './userFacts.js';
import { AuditLogRepository } from './auditLog.js';

export interface Repositories {
  readonly tenants: TenantRepository;
  readonly users: UserRepository;
  readonly identities: PlatformIdentityRepository;
  readonly installations: ChannelInstallationRepository;
  readonly accounts: ConnectorAccountRepository;
  readonly oauthStates: OAuthStateRepository;
  readonly conversations: ConversationRepository;
  readonly messages: MessageRepository;
  readonly userFacts: UserFactRepository;
  readonly audit: AuditLogRepository;
}

export function createRepositories(prisma: PrismaClient, box: SecretBox): Repositories {
  return {
    tenants: new TenantRepository(prisma),
    users: new UserRepository(prisma),
    identities: new PlatformIdentityRepository(prisma),
    installations: new ChannelInstallationRepository(prisma, box),
    accounts: new ConnectorAccountRepository(prisma, box),
    oauthStates: new OAuthStateRepository(prisma, box),
    conversations: new ConversationRepository(prisma),
    messages: new MessageRepository(prisma),
    userFacts: new UserFactRepository(prisma),
    audit: new AuditLogRepository(prisma),
  };
}

export { TenantRepository, UserRepository, PlatformIdentityRepository, ChannelInstallationRepository, ConnectorAccountRepository, OAuthStateRepository, ConversationRepository, MessageRepository, UserFactRepository, AuditLogRepository };
export type { TenantRecord } from './tenants.js';
export type { UserRecord } from './users.js';
export type { PlatformIdentityRecord, PlatformKey } from './platformIdentities.js';
export type { ChannelInstallationRecord, InstallationKey } from './channelInstallations.js';
export type { ConnectorAccountRecord, LockedAccount, ConnectorAccountStatus } from './connectorAccounts.js';
export type { OAuthStateRecord } from './oauthStates.js';
export type { ConversationRecord } from './conversations.js';
export type { MessageRecord, MessageRole } from './messages.js';
export type { UserFactRecord } from './userFacts.js';
export type { AuditEntry } from './auditLog.js';
export { syncTenants, type SyncSummary } from './syncTenants.js';
export { deprovisionDeactivatedUsers, type DeprovisionSummary } from './deprovisioning.js';
export { forgetChatInstallation, type ChatUninstall, type ChatUninstallResult } from './chatUninstalls.js';
export { isUuid } from './users.js';
