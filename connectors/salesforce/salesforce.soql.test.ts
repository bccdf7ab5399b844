import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createLogger } from '../../src/core/logger.js';
import type { ConnectorInstanceConfig } from '../../src/tools/connector.js';
import { SalesforceClient } from './client.js';
import { SalesforceApiError } from './errors.js';
import { salesforceTools } from './index.js';
import { startSalesforceSandbox, type SalesforceSandbox } from './sandbox/index.js';
import { buildSoql, likePattern, quote } from './soql.js';
import { issuedCredentials, runTool, salesforceTestConfig, toolByName, toolContext, type TestCredentials } from './testSupport.js';

/** Employee text in SOQL is always a literal: quotes, backslashes, `%` and `_` cannot change the query. */
let sandbox: SalesforceSandbox;
let config: ConnectorInstanceConfig;
let margaret: TestCredentials;
const MARGARET = 'margaret@acme.test';
const TRICKY = ["O'Brien & Sons", 'Back\\slash Ltd', '100%_Pure Co', 'Quote"d Inc', "'; DELETE FROM Account; --", 'Tab\tNew\nLine'];

beforeAll(async () => {
  sandbox = await startSalesforceSandbox({ seed: 5 });
  config = salesforceTestConfig(sandbox);
  margaret = issuedCredentials(sandbox, config, MARGARET);
  const owner = sandbox.user(MARGARET).id;
  for (const name of [...TRICKY, '100XYPure Co', 'Back slash Ltd']) sandbox.state.insert('Account', { Name: name }, owner);
});

afterAll(async () => {
  await sandbox.stop();
});

const findAccounts = (name: string): Promise<unknown> =>
  runTool(toolByName(salesforceTools(config), 'find_accounts'), toolContext({ config, credentials: margaret, email: MARGARET }), { name });

describe('escaping', () => {
  it('quotes literals with SOQL escape sequences', () => {
    expect(quote("O'Brien \\ x")).toBe("'O\\'Brien \\\\ x'");
    expect(quote('a\nb\tc"d')).toBe("'a\\nb\\tc\\\"d'");
    expect(quote('100%_x')).toBe("'100%_x'");
    expect(likePattern('100%_x')).toBe("'%100\\%\\_x%'");
    expect(likePattern("it's", 'prefix')).toBe("'it\\'s%'");
    expect(buildSoql({ select: ['Id'], from: 'Account', where: [{ field: 'Name', op: '=', value: "a'b" }, { field: 'IsDeleted', op: '=', value: false }], orderBy: { field: 'Name', direction: 'DESC' }, limit: 3 }))
      .toBe("SELECT Id FROM Account WHERE Name = 'a\\'b' AND IsDeleted = false ORDER BY Name DESC LIMIT 3");
    expect(() => buildSoql({ select: ['Id; DROP'], from: 'Account' })).toThrow('not a SOQL identifier');
  });

  it.each(TRICKY)('find_accounts treats %j as text', async (name) => {
    const result = (await findAccounts(name)) as { accounts: { name: string }[] };
    expect(result.accounts.map((a) => a.name)).toEqual([name]);
  });

  it('% and _ match only themselves, not any character', async () => {
    const result = (await findAccounts('100%_')) as { accounts: { name: string }[] };
    expect(result.accounts.map((a) => a.name)).toEqual(['100%_Pure Co']);
    const underscore = (await findAccounts('_')) as { accounts: { name: string }[] };
    expect(underscore.accounts.map((a) => a.name)).toEqual(['100%_Pure Co']);
  });

  it('exact lookups with = find the record whose name has quotes and backslashes', async () => {
    const client = new SalesforceClient({ baseUrl: config.baseUrl, credentials: margaret, logger: createLogger({ level: 'silent' }) });
    for (const name of TRICKY) {
      const rows = await client.query(buildSoql({ select: ['Id', 'Name'], from: 'Account', where: [{ field: 'Name', op: '=', value: name }] }));
      expect(rows.map((r) => r['Name'])).toEqual([name]);
    }
  });
});

describe('the sandbox SOQL engine', () => {
  const client = (): SalesforceClient => new SalesforceClient({ baseUrl: config.baseUrl, credentials: margaret, logger: createLogger({ level: 'silent' }) });
  const rejection = async (soql: string): Promise<SalesforceApiError> => {
    const error = await client().query(soql).then(() => undefined, (e: unknown) => e);
    if (!(error instanceof SalesforceApiError)) throw new Error(`expected SalesforceApiError for ${soql}`);
    return error;
  };

  it.each([
    ["SELECT Id FROM Account WHERE Name = 'unterminated", 'MALFORMED_QUERY'],
    ["SELECT Id FROM Account WHERE Name = 'O'Brien'", 'MALFORMED_QUERY'],
    ['SELECT FROM Account', 'MALFORMED_QUERY'],
    ['SELECT Id Account', 'MALFORMED_QUERY'],
    ["SELECT Id FROM Account WHERE Name = 'a\\%'", 'MALFORMED_QUERY'],
    ['SELECT Id FROM Account LIMIT ten', 'MALFORMED_QUERY'],
    ['SELECT Id, Colour FROM Account', 'INVALID_FIELD'],
    ["SELECT Id FROM Opportunity WHERE IsClosed = 'true'", 'INVALID_FIELD'],
    ['SELECT Id FROM Widget', 'INVALID_TYPE'],
  ])('rejects %j with %s and the vendor message', async (soql, code) => {
    const error = await rejection(soql);
    expect(error).toMatchObject({ status: 400, vendorCode: code, code: 'connector_bad_request' });
    expect(error.message.length).toBeGreaterThan(`Salesforce 400: ${code}: `.length);
  });

  it('supports AND/OR/NOT, parentheses, comparisons, ORDER BY … NULLS LAST, LIMIT and OFFSET', async () => {
    const rows = await client().query(
      "SELECT Name, Amount, Account.Name FROM Opportunity WHERE (StageName = 'Closed Won' OR Amount > 300000) AND NOT Name LIKE 'Stark%' ORDER BY Amount DESC NULLS LAST LIMIT 5 OFFSET 0",
    );
    expect(rows.map((r) => [r['Name'], r['Amount']])).toEqual([['Globex - Platform Expansion', 420_000], ['Umbrella - Cold Storage', 310_000]]);
    expect(rows[0]?.['Account']).toMatchObject({ attributes: { type: 'Account' }, Name: 'Globex' });
    const page = await client().query("SELECT Id FROM Opportunity WHERE CloseDate >= 2026-04-01 ORDER BY CloseDate LIMIT 2 OFFSET 1");
    expect(page).toHaveLength(2);
  });
});
