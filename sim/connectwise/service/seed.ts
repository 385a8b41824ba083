// The service desk's seed: two active boards and one inactive, each with its
// statuses (one default, one or two closed), as a fresh ConnectWise site has.
import { info } from '../seed-records.js';
import type { ServiceState, SimBoard, SimBoardStatus } from './model.js';

const board = (id: number, name: string, inactiveFlag = false): SimBoard => ({
  id,
  name,
  location: { id: 1, name: 'Sydney' },
  department: { id: 10, identifier: 'MS', name: 'Managed Services' },
  inactiveFlag,
  projectFlag: false,
  _info: info('service/boards', id),
});

const status = (id: number, b: SimBoard, name: string, sortOrder: number, flags: { defaultFlag?: boolean; closedStatus?: boolean } = {}): SimBoardStatus => ({
  id,
  name,
  board: { id: b.id, name: b.name },
  sortOrder,
  displayOnBoard: true,
  inactive: false,
  closedStatus: flags.closedStatus ?? false,
  timeEntryNotAllowed: flags.closedStatus ?? false,
  defaultFlag: flags.defaultFlag ?? false,
  escalationStatus: flags.closedStatus ? 'Resolved' : 'NotResponded',
  _info: info(`service/boards/${b.id}/statuses`, id),
});

export function seedService(): ServiceState {
  const helpDesk = board(1, 'Help Desk');
  const finance = board(2, 'Finance Admin');
  const old = board(3, 'Old Projects', true);
  return {
    boards: [helpDesk, finance, old],
    statuses: [
      status(11, helpDesk, 'New', 0, { defaultFlag: true }),
      status(12, helpDesk, 'In Progress', 1),
      status(13, helpDesk, 'Completed', 2, { closedStatus: true }),
      status(14, helpDesk, 'Closed', 3, { closedStatus: true }),
      status(21, finance, 'New', 0, { defaultFlag: true }),
      status(22, finance, 'Waiting on Finance', 1),
      status(23, finance, 'Closed', 2, { closedStatus: true }),
      status(31, old, 'New', 0, { defaultFlag: true }),
      status(32, old, 'Closed', 1, { closedStatus: true }),
    ],
    tickets: [],
    notes: [],
    nextId: { ticket: 90001, note: 1 },
  };
}
