// The settings pod's "ConnectWise connection" card (admins only): the
// company's own registration as GET /api/setup/company answers it — the site
// URL and clientId, never the API member's keys (sealed on the server; the
// card asks for a new pair, which PUT /api/setup/company checks live first).

export interface CompanyConnection {
  companyId: string;
  siteUrl: string;
  clientId: string;
  /** When the site or keys were last saved (ISO). */
  updatedAt: string;
}
