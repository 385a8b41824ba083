// "Fix in: <place>" as a link that opens the place: a section of the settings
// pod (our settings page at its fragment, in a window of ours signed in with
// this pod's session) or a ConnectWise record's screen (the Hosted API's
// openScreen). Which place a hint names is decided once, in shared/fix-target.ts;
// how to open it is given by the surface (boot.tsx, the full list's window).
import { createContext, type ComponentChildren } from 'preact';
import { useContext } from 'preact/hooks';
import { fixTarget, settingsFixUrl, type FixRecords } from '../../shared/fix-target.js';
import type { SettingsSectionId } from '../../shared/settings-sections.js';
import type { HostedBridge } from '../bridge/index.js';
import type { PodSession } from './session.js';
import { openWindowWithSession } from '../batch/window-session.js';

export interface FixOpeners {
  /** Opens the settings page at a section; false when the browser blocked the window. */
  openSettings?: (section: SettingsSectionId) => boolean;
  /** Asks ConnectWise to open a record's screen. */
  openScreen?: (screen: string, id: number) => void;
}

/** A surface's openers: settings in a window of ours lent `session`; ConnectWise screens through `bridge` (in a new tab, keeping this screen). */
export function fixOpeners(session: PodSession, bridge?: HostedBridge): FixOpeners {
  return {
    openSettings: (section) => openWindowWithSession(settingsFixUrl(section, location), 'cwxs-settings', session) !== null,
    ...(bridge ? { openScreen: (screen: string, id: number) => void bridge.openScreen({ newTab: true, screen, id }).catch(() => undefined) } : {}),
  };
}

export const FixOpenersContext = createContext<FixOpeners>({});

export function FixOpenersProvider({ value, children }: { value: FixOpeners; children: ComponentChildren }) {
  return <FixOpenersContext.Provider value={value}>{children}</FixOpenersContext.Provider>;
}

/** The records a surface is about (its invoice and customer, its purchase order, its report): hints inside it link to their screens. */
export const FixRecordsContext = createContext<FixRecords>({});

export function FixRecordsProvider({ value, children }: { value: FixRecords; children: ComponentChildren }) {
  const outer = useContext(FixRecordsContext);
  return <FixRecordsContext.Provider value={{ ...outer, ...value }}>{children}</FixRecordsContext.Provider>;
}

/** "Fix in: …", the place a link when this surface can open it. */
export function FixIn({ where, records = {}, class: cls = 'where', testId, lead = true }: { where: string; records?: FixRecords; class?: string; testId?: string; lead?: boolean }) {
  const openers = useContext(FixOpenersContext);
  const known = { ...useContext(FixRecordsContext), ...records };
  const target = fixTarget(where);
  let link: ComponentChildren = where;
  if (target?.kind === 'settings' && openers.openSettings) {
    const open = openers.openSettings;
    link = (
      <a
        href={settingsFixUrl(target.section, location)}
        target="_blank"
        rel="opener"
        data-testid="fix-link"
        data-fix={`settings:${target.section}`}
        onClick={(e) => {
          e.preventDefault();
          open(target.section);
        }}
      >
        {where}
      </a>
    );
  } else if (target?.kind === 'connectwise' && openers.openScreen) {
    const id = known[target.record];
    const open = openers.openScreen;
    if (typeof id === 'number' && id > 0) {
      link = (
        <a
          href="#"
          data-testid="fix-link"
          data-fix={`connectwise:${target.screen}:${id}`}
          onClick={(e) => {
            e.preventDefault();
            open(target.screen, id);
          }}
        >
          {where}
        </a>
      );
    }
  }
  return (
    <span class={cls} {...(testId ? { 'data-testid': testId } : {})}>
      {lead ? ' ' : ''}Fix in: {link}
    </span>
  );
}
