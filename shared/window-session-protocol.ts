// The messages by which a window of ours asks its opener for a session and is
// answered (pod/batch/window-session.ts in the pods; the first-run page's
// script, server/routes/setup-page.ts, speaks it too).
export const ASK = 'cwxs:session?';
export const ANSWER = 'cwxs:session';
