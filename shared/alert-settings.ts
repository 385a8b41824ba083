// Exception alerts (issue 13): when a scheduled or bulk sync leaves records
// needing a person, one ConnectWise service ticket per tenant on this board
// lists them; it closes itself when a later run or scan finds none. null: off.
import { z } from 'zod';

export const alertSettingsSchema = z
  .object({
    /** The ConnectWise service board (service/boards id) the alert ticket goes on; null = alerts off. */
    boardId: z.number({ message: 'boardId must be a ConnectWise board id or null' }).int('boardId must be a whole number').positive('boardId must be a ConnectWise board id').nullable().default(null),
  })
  .strict();
export type AlertSettings = z.infer<typeof alertSettingsSchema>;

/** GET /api/settings/alerts: the boards to choose from and the ticket's last state, as the Alerts card shows them. */
export interface AlertStatusView {
  boardId: number | null;
  /** Active ConnectWise service boards; empty with `boardsError` when ConnectWise would not list them. */
  boards: { id: number; name: string }[];
  boardsError?: string;
  ticket: {
    id: number | null;
    state: 'none' | 'open' | 'closed';
    /** How many records the ticket lists now (0 when closed). */
    records: number;
    /** What the last run or scan did about it, in words (ids only), e.g. "Opened ticket #90001 listing 2 records." */
    lastOutcome: string | null;
    lastCheckedAt: string | null;
    /** True when ConnectWise refused the last attempt (the runs carry on regardless). */
    refused: boolean;
  };
}
