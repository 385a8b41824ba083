// Service desk endpoints the alerts use, as ConnectWise answers them:
//   service/boards (+ /count, /{id}), service/boards/{id}/statuses (+ /count, /{id})
//   service/tickets GET (list, /count, /{id}), POST, PATCH (JSON Patch array)
//   service/tickets/{id}/notes GET (list, /count), POST
// Every list takes conditions, orderBy, fields and paging (list.ts).
// What a ticket needs (ConnectWise's Ticket model): summary (≤ 100), company
// (by id or identifier; the site's own company answers to the company id
// members log in with), board (by id or name; an inactive board refuses new
// tickets), status (by id or name, of the ticket's board; default: the
// board's default status). A closed status (BoardStatus.closedStatus) sets
// closedFlag, closedDate and closedBy; leaving it clears them.
// initialDescription is write-only: it becomes the ticket's first note
// (detailDescriptionFlag), as in ConnectWise, and GET does not return it.
// A note needs text and at least one of detailDescriptionFlag,
// internalAnalysisFlag, resolutionFlag.
// An API member whose security role lacks Service Desk: POST /__sim/permissions
// {deny:["service"]} (permissions.ts) makes every service/* call a 403.
import { Hono } from 'hono';
import { z } from 'zod';
import type { SimContext, SimEnv } from '../context.js';
import { fromZod, invalidField, notFound, readJson } from '../errors.js';
import { applyPatch } from '../json-patch.js';
import { countResponse, listResponse, trimRecord } from '../list.js';
import { collection } from '../routes/collection.js';
import { info } from '../seed-records.js';
import type { SimTicket, SimTicketNote } from './model.js';

const R = 'ticket';
/** The Demo Co site's own company (type Owner); not listed in company/companies, which holds customers and vendors. */
export const OWNER_COMPANY = { id: 19300, identifier: 'DemoCo', name: 'Demo Co' };

const ref = z.object({ id: z.number().int().optional(), name: z.string().optional(), identifier: z.string().optional() }).loose();

const ticketSchema = z
  .object({
    summary: z.string({ message: 'summary is required' }).trim().min(1, 'summary is required').max(100, 'summary must be at most 100 characters'),
    board: ref.optional(),
    status: ref.optional(),
    company: ref.optional(),
    priority: ref.optional(),
    severity: z.enum(['Low', 'Medium', 'High']).nullable().optional(),
    impact: z.enum(['Low', 'Medium', 'High']).nullable().optional(),
    externalXRef: z.string().max(100, 'externalXRef must be at most 100 characters').optional(),
    initialDescription: z.string().optional(),
    initialInternalAnalysis: z.string().optional(),
    recordType: z.literal('ServiceTicket', { message: 'recordType must be ServiceTicket on service/tickets' }).nullable().optional(),
  })
  .loose();

const PATCHABLE = ['summary', 'board', 'status', 'company', 'priority', 'severity', 'impact', 'externalXRef'];

const noteSchema = z
  .object({
    text: z.string({ message: 'text is required' }).trim().min(1, 'text is required'),
    detailDescriptionFlag: z.boolean().nullable().optional(),
    internalAnalysisFlag: z.boolean().nullable().optional(),
    resolutionFlag: z.boolean().nullable().optional(),
    customerUpdatedFlag: z.boolean().nullable().optional(),
    processNotifications: z.boolean().nullable().optional(),
    internalFlag: z.boolean().nullable().optional(),
    externalFlag: z.boolean().nullable().optional(),
  })
  .loose();

export function serviceRoutes(ctx: SimContext): Hono<SimEnv> {
  const app = new Hono<SimEnv>();
  const s = () => ctx.state.service;
  collection(app, '/service/boards', 'Board', () => s().boards);
  const boardOf = (id: string) => {
    const b = s().boards.find((x) => x.id === Number(id));
    if (!b) throw notFound(`Board ${id}`);
    return b;
  };
  app.get('/service/boards/:id{[0-9]+}/statuses', (c) => listResponse(c, s().statuses.filter((x) => x.board.id === boardOf(c.req.param('id')).id)));
  app.get('/service/boards/:id{[0-9]+}/statuses/count', (c) => countResponse(c, s().statuses.filter((x) => x.board.id === boardOf(c.req.param('id')).id)));
  app.get('/service/boards/:id{[0-9]+}/statuses/:sid{[0-9]+}', (c) => {
    const b = boardOf(c.req.param('id'));
    const st = s().statuses.find((x) => x.board.id === b.id && x.id === Number(c.req.param('sid')));
    if (!st) throw notFound(`BoardStatus ${c.req.param('sid')}`);
    return c.json(trimRecord(c, st));
  });

  const who = (c: { get(k: 'identity'): SimEnv['Variables']['identity'] }) => {
    const id = c.get('identity');
    return id.kind === 'api' ? 'APIMember' : id.memberIdentifier;
  };

  /** The ticket as stored, from a validated body and (on PATCH) the ticket it replaces. */
  function resolve(body: z.infer<typeof ticketSchema>, old: SimTicket | undefined, by: string): SimTicket {
    const boardRef = body.board;
    if (!boardRef || (boardRef.id === undefined && !boardRef.name)) throw invalidField(R, 'board', 'board is required (id or name)');
    const board = s().boards.find((b) => (boardRef.id !== undefined ? b.id === boardRef.id : b.name.toLowerCase() === boardRef.name!.toLowerCase()));
    if (!board) throw invalidField(R, 'board', `board ${boardRef.id ?? boardRef.name} does not exist`, 'InvalidReference');
    if (board.inactiveFlag && old?.board?.id !== board.id) throw invalidField(R, 'board', `board ${board.name} is inactive`);
    const statuses = s().statuses.filter((x) => x.board.id === board.id && !x.inactive);
    const boardChanged = old !== undefined && old.board?.id !== board.id;
    const statusRef = body.status && !(boardChanged && body.status.id === old?.status?.id) ? body.status : undefined;
    const status = statusRef
      ? statuses.find((x) => (statusRef.id !== undefined ? x.id === statusRef.id : x.name.toLowerCase() === (statusRef.name ?? '').toLowerCase()))
      : statuses.find((x) => x.defaultFlag) ?? statuses[0];
    if (!status) throw invalidField(R, 'status', `status ${statusRef?.id ?? statusRef?.name ?? ''} is not a status of board ${board.name}`, 'InvalidReference');
    const companyRef = body.company;
    if (!companyRef || (companyRef.id === undefined && !companyRef.identifier)) throw invalidField(R, 'company', 'company is required (id or identifier)');
    const owner = companyRef.id === OWNER_COMPANY.id || companyRef.identifier?.toLowerCase() === OWNER_COMPANY.identifier.toLowerCase() || companyRef.identifier?.toLowerCase() === ctx.options.companyId.toLowerCase();
    const found = owner
      ? OWNER_COMPANY
      : ctx.state.companies.find((co) => (companyRef.id !== undefined ? co.id === companyRef.id : co.identifier.toLowerCase() === companyRef.identifier!.toLowerCase()));
    if (!found) throw invalidField(R, 'company', `company ${companyRef.id ?? companyRef.identifier} does not exist`, 'InvalidReference');
    const now = ctx.now().toISOString();
    const closed = status.closedStatus === true;
    const wasClosed = old?.closedFlag === true;
    const { initialDescription: _d, initialInternalAnalysis: _a, board: _b, status: _s, company: _c, ...rest } = body;
    const t: SimTicket = {
      ...(old ?? {}),
      ...rest,
      id: old?.id ?? s().nextId.ticket++,
      recordType: 'ServiceTicket',
      board: { id: board.id, name: board.name },
      status: { id: status.id, name: status.name },
      company: { id: found.id!, identifier: found.identifier, name: found.name },
      closedFlag: closed,
      ...(closed ? { closedDate: wasClosed ? old!.closedDate : now, closedBy: wasClosed ? old!.closedBy : by } : {}),
      _info: { ...(old?._info ?? { dateEntered: now, enteredBy: by }), lastUpdated: now, updatedBy: by },
    };
    if (!closed) {
      delete t.closedDate;
      delete t.closedBy;
    }
    t._info = { ...t._info, ...info('service/tickets', t.id) };
    return t;
  }

  const addNote = (ticketId: number, n: z.infer<typeof noteSchema>, by: string): SimTicketNote => {
    if (!n.detailDescriptionFlag && !n.internalAnalysisFlag && !n.resolutionFlag) throw invalidField('ticketNote', 'detailDescriptionFlag', 'at least one of detailDescriptionFlag, internalAnalysisFlag, resolutionFlag must be true');
    const now = ctx.now().toISOString();
    const note: SimTicketNote = { ...n, id: s().nextId.note++, ticketId, member: { id: 0, identifier: by }, _info: { dateEntered: now, enteredBy: by, lastUpdated: now } };
    s().notes.push(note);
    return note;
  };

  collection(app, '/service/tickets', 'Ticket', () => s().tickets);
  const find = (id: string) => {
    const t = s().tickets.find((x) => x.id === Number(id));
    if (!t) throw notFound(`Ticket ${id}`);
    return t;
  };
  app.post('/service/tickets', async (c) => {
    const r = ticketSchema.safeParse(await readJson(c, R));
    if (!r.success) throw fromZod(R, r.error);
    const by = who(c);
    const t = resolve(r.data, undefined, by);
    s().tickets.push(t);
    if (r.data.initialDescription?.trim()) addNote(t.id, { text: r.data.initialDescription, detailDescriptionFlag: true }, by);
    if (r.data.initialInternalAnalysis?.trim()) addNote(t.id, { text: r.data.initialInternalAnalysis, internalAnalysisFlag: true }, by);
    return c.json(t, 201);
  });
  app.patch('/service/tickets/:id{[0-9]+}', async (c) => {
    const old = find(c.req.param('id'));
    const editable = Object.fromEntries(PATCHABLE.filter((k) => k in old).map((k) => [k, (old as Record<string, unknown>)[k]]));
    const patched = applyPatch(R, editable, await readJson(c, R), PATCHABLE);
    const r = ticketSchema.safeParse(patched);
    if (!r.success) throw fromZod(R, r.error);
    const t = resolve(r.data, old, who(c));
    s().tickets = s().tickets.map((x) => (x === old ? t : x));
    return c.json(t);
  });
  const notesOf = (id: string) => s().notes.filter((n) => n.ticketId === find(id).id);
  app.get('/service/tickets/:id{[0-9]+}/notes', (c) => listResponse(c, notesOf(c.req.param('id'))));
  app.get('/service/tickets/:id{[0-9]+}/notes/count', (c) => countResponse(c, notesOf(c.req.param('id'))));
  app.post('/service/tickets/:id{[0-9]+}/notes', async (c) => {
    const t = find(c.req.param('id'));
    const r = noteSchema.safeParse(await readJson(c, 'ticketNote'));
    if (!r.success) throw fromZod('ticketNote', r.error);
    return c.json(addNote(t.id, r.data, who(c)), 201);
  });
  return app;
}

