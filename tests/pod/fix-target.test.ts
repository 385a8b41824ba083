// The one map from a problem's "where" words to the place a "Fix in" link opens.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixTarget, settingsFixUrl } from '../../shared/fix-target.js';
import { SETTINGS_POD_TITLE, SETTINGS_SECTIONS, sectionWhere, type SettingsSectionId } from '../../shared/settings-sections.js';
import { WHERE } from '../../server/domain/problems.js';
import { WHERE_EXPENSE } from '../../server/domain/expense-items.js';
import { PROCUREMENT_WHERE } from '../../server/domain/warehouse-accounts.js';
import { WHERE_BY_CODE } from '../../server/engine/where.js';

const SETTINGS_DIR = new URL('../../pod/settings/', import.meta.url);
const podSource = readdirSync(SETTINGS_DIR)
  .filter((f) => f.endsWith('.tsx'))
  .map((f) => readFileSync(new URL(f, SETTINGS_DIR), 'utf8'))
  .join('\n');

describe('fixTarget', () => {
  it('maps each settings section by its exact title path, deepest first', () => {
    expect(fixTarget('CW–Xero Sync settings › Invoices › Tax codes')).toEqual({ kind: 'settings', section: 'invoices-tax' });
    expect(fixTarget('CW–Xero Sync settings › Invoices')).toEqual({ kind: 'settings', section: 'invoices' });
    expect(fixTarget('CW–Xero Sync settings › Expenses › Wise-Pay')).toEqual({ kind: 'settings', section: 'expenses-wise-pay' });
    expect(fixTarget('CW–Xero Sync settings › Purchase orders › Warehouse accounts')).toEqual({ kind: 'settings', section: 'purchase-orders-warehouses' });
    for (const id of Object.keys(SETTINGS_SECTIONS) as SettingsSectionId[]) expect(fixTarget(sectionWhere(id))).toEqual({ kind: 'settings', section: id });
  });

  it('takes the place named first; "(or …)" is the alternative', () => {
    expect(fixTarget(`${WHERE.settingsAccounts} (or ${WHERE_EXPENSE.settingsWisePay})`)).toEqual({ kind: 'settings', section: 'invoices-accounts' });
    expect(fixTarget(`Xero (or ${WHERE.settingsNumbering})`)).toEqual({ kind: 'settings', section: 'invoices' });
    expect(fixTarget(`${WHERE.xeroContacts} (or ${WHERE.cwCompany})`)).toEqual({ kind: 'connectwise', screen: 'company', record: 'company' });
    expect(fixTarget(`${WHERE.cwCompany} or ${WHERE.xeroContacts}`)).toEqual({ kind: 'connectwise', screen: 'company', record: 'company' });
  });

  it('does not read a title inside a longer one, and names nothing it cannot open', () => {
    expect(fixTarget('CW–Xero Sync settings › Invoicesxyz')).toBeUndefined();
    expect(fixTarget(WHERE.xeroAccounts)).toBeUndefined();
    expect(fixTarget(WHERE.cwGlAccounts)).toBeUndefined();
    expect(fixTarget('')).toBeUndefined();
    expect(fixTarget(null)).toBeUndefined();
  });

  it('maps ConnectWise records to their screens', () => {
    expect(fixTarget(WHERE.cwInvoice)).toEqual({ kind: 'connectwise', screen: 'invoice', record: 'invoice' });
    expect(fixTarget(WHERE.cwProduct)).toEqual({ kind: 'connectwise', screen: 'product', record: 'product' });
    expect(fixTarget(WHERE_EXPENSE.cwReport)).toEqual({ kind: 'connectwise', screen: 'expensereport', record: 'expensereport' });
    expect(fixTarget(PROCUREMENT_WHERE.cwVendor)).toEqual({ kind: 'connectwise', screen: 'company', record: 'company' });
    expect(fixTarget('ConnectWise › System › Members (this member)')).toEqual({ kind: 'connectwise', screen: 'member', record: 'member' });
  });

  it('every settings place the server names is a section the settings pod titles so', () => {
    const all = [...Object.entries(WHERE), ...Object.entries(WHERE_EXPENSE), ...Object.entries(PROCUREMENT_WHERE), ...Object.entries(WHERE_BY_CODE)];
    const settingsPlaces = all.filter(([key, w]) => w.includes(SETTINGS_POD_TITLE));
    expect(settingsPlaces.length).toBeGreaterThan(10);
    for (const [key, w] of settingsPlaces) {
      const t = fixTarget(w);
      expect(t?.kind, `${key}: ${w}`).toBe('settings');
    }
  });

  it('each section has its heading in the settings pod (data-section, titled from the same table)', () => {
    for (const id of Object.keys(SETTINGS_SECTIONS)) expect(podSource, id).toContain(`data-section="${id}"`);
  });
});

describe('settingsFixUrl', () => {
  it('opens this tenant\'s settings page as a window, at the section', () => {
    expect(settingsFixUrl('invoices-tax', { pathname: '/pod/invoice.html', search: '?tenant=acme&id=7' })).toBe('/pod/settings.html?tenant=acme&view=window#invoices-tax');
  });
});
