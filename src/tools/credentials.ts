/**
 * What a tool sees of the acting employee's linked account. The accessor refreshes ahead of expiry
 * and throws AccountNotLinkedError when the employee has not connected the system yet; tools never
 * see refresh tokens and must never put the access token anywhere but the outgoing request.
 */
export interface LinkedCredential {
  readonly accessToken: string;
  /** The account's id in the external system (ServiceNow sys_id, Jira accountId, Salesforce user id, Okta user id). */
  readonly externalUserId?: string;
  /** Connector-specific values returned at linking time, e.g. Salesforce `instance_url`, Jira `cloud_id`. */
  readonly metadata: Readonly<Record<string, string>>;
  readonly expiresAt?: Date;
}

export interface CredentialAccessor {
  /** The requesting employee's own delegated credential for this connector. */
  forUser(): Promise<LinkedCredential>;
  /**
   * The tenant's admin-approved service credential for this connector (only where the connector
   * config defines one, e.g. Okta self-service resets). Calls made with it are recorded as acting
   * for the requesting employee and the tool must only ever target that employee.
   */
  forService(): Promise<LinkedCredential>;
  /** Drop a cached access token after the API rejected it (401), so the next forUser() refreshes. */
  invalidate(): Promise<void>;
}
