// Service desk records (service/boards, their statuses, service/tickets and
// their notes), typed with ConnectWise's published models.
import type { CwSchemas } from '../../../shared/cw-types.js';

export type SimBoard = CwSchemas['Board'] & { id: number };
export type SimBoardStatus = CwSchemas['BoardStatus'] & { id: number; board: { id: number; name?: string } };
export type SimTicket = CwSchemas['Ticket'] & { id: number };
export type SimTicketNote = CwSchemas['TicketNote'] & { id: number; ticketId: number };

export interface ServiceState {
  boards: SimBoard[];
  statuses: SimBoardStatus[];
  tickets: SimTicket[];
  notes: SimTicketNote[];
  nextId: { ticket: number; note: number };
}
