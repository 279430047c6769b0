/**
 * Contract of the samp domain: the SAMP bridge to ASPRO2 and other VO tools (connection state,
 * sending targets / observations / OIFITS, tables received from peers, the traffic log).
 */
import { z } from 'zod';
import type { ImportReport } from '../model/survey';
import { ASPRO2_MAX_TARGETS } from '../votable/aspro2-limits';
import { defineEvent, defineMethod, type EventMap, type MethodMap } from './define';

/** Connection state of the SAMP bridge, for the header indicator and the SAMP screen. */
export interface SampStatus {
  /** The bridge is trying to stay connected (auto-connect or the user clicked Connect). */
  isActive: boolean;
  isConnected: boolean;
  /** XML-RPC URL of the hub we are registered with. */
  hubUrl: string | null;
  /** True when that hub is the one embedded in this app. */
  hubIsEmbedded: boolean;
  /** Our public id on the hub. */
  selfId: string | null;
  /** Other registered applications (the hub itself excluded). */
  peers: Array<{ id: string; name: string }>;
  /** An application named Aspro2 is registered. */
  aspro2Present: boolean;
  /** Why the embedded hub could not start (e.g. SAMP_HUB names a folder); not retried until Connect. */
  hubError: string | null;
  /** Persisted options. */
  options: SampOptions;
}

/** User options of the bridge (stored as settings). */
export interface SampOptions {
  /** Connect when the app starts (the env variable SPICA_SAMP=on|off overrides). */
  autoConnect: boolean;
  /** Start our own hub when none is running. */
  embeddedHub: boolean;
}

/** One message in or out, for the SAMP log. */
export interface SampTrafficEntry {
  atMs: number;
  direction: 'in' | 'out';
  mtype: string;
  peerId: string;
  peerName: string;
  status: 'ok' | 'error' | 'sent';
  detail: string;
}

/** A table a peer sent, parsed as an import preview waiting for the user. */
export interface SampTablePreview {
  id: string;
  senderName: string;
  /** The `name` param of the message, or the URL's file name. */
  name: string;
  url: string;
  receivedAtMs: number;
  /** Import format recognised (spicadb-votable, aspro2-votable, votable), or null when unreadable. */
  format: string | null;
  rowCount: number;
  skippedCount: number;
  /** First rows, for the preview table. */
  sample: Array<{ name: string; raDeg: number; decDeg: number; vmag: number | null; spType: string | null }>;
  /** Why the table cannot be imported as survey targets, when it cannot. */
  error: string | null;
  /** Sent by SearchCal / GetStar or shaped like a SearchCal/JSDC list: offer it to the calibrator catalogue. */
  looksLikeCalibrators: boolean;
}

/** How one application took a message we sent (sends are calls: "received" means it said so). */
export interface SampDelivery {
  /** samp.name of the recipient. */
  name: string;
  /**
   * `received`: it answered samp.ok, or samp.warning (then `detail` says what); `failed`: it
   * answered samp.error, or the hub refused the message; `no-reply`: the hub took the message but
   * the application did not answer in time (busy, waiting for its user, or hung).
   */
  outcome: 'received' | 'failed' | 'no-reply';
  detail: string | null;
}

/** What a send did. */
export interface SampSendOutcome {
  /** samp.name of each recipient. */
  recipients: string[];
  deliveries: SampDelivery[];
  /** The worst outcome over the recipients (failed, then no-reply, then received). */
  outcome: SampDelivery['outcome'];
  /** One sentence for the user saying what happened, e.g. "Aspro2 received …" or "… delivered to the hub; Aspro2 has not answered". */
  summary: string;
}

/** An OIFITS file a peer sent, waiting in the Review screen's "Received over SAMP" list. */
export interface SampReceivedFile {
  id: string;
  path: string;
  name: string;
  senderName: string;
  receivedAtMs: number;
  sizeBytes: number;
  /** Fetched over http into the data folder (deleted when dismissed unless reviewed); false: the sender's own file. */
  isDownloaded: boolean;
  /** A quality verdict has been saved for this file (it is then kept). */
  isReviewed: boolean;
}

/** What was sent to ASPRO2. */
export interface SampSendResult extends SampSendOutcome {
  targetCount: number;
  calibratorCount: number;
  /** URL the peer fetches the table from (our 127.0.0.1 server). */
  url: string;
  /** What the user should know about what was sent (a period substituted, PoP sets left to ASPRO2). */
  notes: string[];
}

/** What "Send to ASPRO2" of a plan would send (`samp.planHandoff`). */
export interface SampPlanHandoff {
  targetCount: number;
  calibratorCount: number;
  /** Stars sent once in both roles (a science target that calibrates another). */
  bothRoles: string[];
  /** CHARA.xml configuration sent, e.g. "CHARA 2026A", and the stations/beams in its order. */
  period: string;
  configuration: string;
  beams: string;
  /** POPS sent (null: left to ASPRO2's best-PoP search). */
  pops: string | null;
  /** The plan's PoP sets (digits in `configuration` order) with their science targets. */
  popSets: Array<{ pops: string; targets: string[] }>;
  notes: string[];
}

/** How long a send waits for the recipient's answer before saying it did not answer. */
const replyTimeoutSchema = z.number().min(1).max(120).default(10);

const nightSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'night must be YYYY-MM-DD');

export const sampMethods = {
  'samp.status': defineMethod<SampStatus>()({
    doc: 'Connection state: hub, registered applications, whether Aspro2 is there.',
    params: z.object({}).strict(),
  }),
  'samp.connect': defineMethod<SampStatus>()({
    doc: 'Start the bridge: register with the running hub (or start the embedded hub if allowed) and stay connected.',
    params: z.object({}).strict(),
  }),
  'samp.disconnect': defineMethod<SampStatus>()({
    doc: 'Unregister from the hub and stop the embedded hub if we run it (it sends samp.hub.event.shutdown).',
    params: z.object({}).strict(),
  }),
  'samp.setOptions': defineMethod<SampOptions>()({
    doc: 'Change the persisted bridge options (auto-connect at start, embedded hub).',
    params: z.object({ autoConnect: z.boolean().optional(), embeddedHub: z.boolean().optional() }).strict(),
  }),
  'samp.log': defineMethod<SampTrafficEntry[]>()({
    doc: 'Messages in and out since the app started (most recent last, at most 500).',
    params: z.object({}).strict(),
  }),
  'samp.sendTargets': defineMethod<SampSendResult>()({
    doc:
      'Send targets (and their calibrators) to ASPRO2 as the VOTable SPICA-NSS sends: PARAMs for the ' +
      'night and configuration, rows sorted by transit, groups priority_pi=N / calprim / calsecond. ' +
      'Sent as a call: the result says whether ASPRO2 answered (received), refused, or did not answer in time.',
    params: z
      .object({
        targetIds: z.array(z.string().min(1)).min(1).max(ASPRO2_MAX_TARGETS),
        night: nightSchema,
        /** Station list, e.g. "S1 S2 W1 W2 E1 E2". */
        configuration: z.string().regex(/^[A-Z]\d( [A-Z]\d)*$/, 'configuration must be stations like "S1 S2 E1"'),
        pops: z.string().regex(/^[1-5]*$/, 'pops must be digits 1-5').optional(),
        instrument: z.string().min(1).max(40).default('SPICA_6T'),
        minElevationDeg: z.number().int().min(0).max(90).default(30),
        operation: z.enum(['NEW', 'ADD']).default('NEW'),
        includeCalibrators: z.boolean().default(true),
        /** samp.name of the recipient. */
        to: z.string().min(1).max(100).default('Aspro2'),
        replyTimeoutS: replyTimeoutSchema,
      })
      .strict(),
  }),
  'samp.planHandoff': defineMethod<SampPlanHandoff>()({
    doc: "What 'Send to ASPRO2' of a night plan sends: its science targets, the calibrators of its CAL blocks, the CHARA.xml period, stations, beams and PoP sets.",
    params: z.object({ planId: z.string().min(1), popSet: z.string().regex(/^[1-5]{2,6}$/).optional() }).strict(),
  }),
  'samp.sendPlan': defineMethod<SampSendResult>()({
    doc:
      'Send a night plan to ASPRO2: every science target of its SCI blocks with the calibrators of its CAL blocks (linked to the ' +
      'targets they calibrate), each star once, its PoP set in the pops column; one PoP set as POPS (all of the plan, or `popSet`: one observation per set). ' +
      'PERIOD is the CHARA.xml configuration of the night (the latest known one when CHARA.xml has none for it) and BEAMS its SPICA beams.',
    params: z
      .object({
        planId: z.string().min(1),
        popSet: z.string().regex(/^[1-5]{2,6}$/).optional(),
        operation: z.enum(['NEW', 'ADD']).default('NEW'),
        to: z.string().min(1).max(100).default('Aspro2'),
        replyTimeoutS: replyTimeoutSchema,
      })
      .strict(),
  }),
  'samp.sendObservation': defineMethod<SampSendOutcome>()({
    doc: 'Send an ASPRO2 observation file (.asprox) with fr.jmmc.aspro.load.observation, as a call: the result says whether ASPRO2 answered.',
    params: z.object({ path: z.string().min(1), to: z.string().min(1).max(100).default('Aspro2'), replyTimeoutS: replyTimeoutSchema }).strict(),
  }),
  'samp.sendOifits': defineMethod<SampSendOutcome>()({
    doc: 'Send an OIFITS file with table.load.fits, to one application by samp.name or (no `to`) to every subscriber, as calls.',
    params: z.object({ path: z.string().min(1), to: z.string().min(1).max(100).optional(), replyTimeoutS: replyTimeoutSchema }).strict(),
  }),
  'samp.pending': defineMethod<SampTablePreview[]>()({
    doc: 'Tables received from peers and not yet accepted or discarded.',
    params: z.object({}).strict(),
  }),
  'samp.acceptTable': defineMethod<ImportReport>()({
    doc: 'Import a received table into the survey (targets matched by SPICA-DB id or name + position).',
    params: z.object({ id: z.string().min(1) }).strict(),
  }),
  'samp.tableContent': defineMethod<{ fileName: string; content: string; senderName: string }>()({
    doc: 'The text of a received table, e.g. to hand a SearchCal list to calibrators.import.',
    params: z.object({ id: z.string().min(1) }).strict(),
  }),
  'samp.discardTable': defineMethod<{ ok: true }>()({
    doc: 'Forget a received table.',
    params: z.object({ id: z.string().min(1) }).strict(),
  }),
  'samp.receivedFiles': defineMethod<SampReceivedFile[]>()({
    doc: 'OIFITS files received from peers since the app started, oldest first (they never open by themselves).',
    params: z.object({}).strict(),
  }),
  'samp.dismissFile': defineMethod<{ ok: true }>()({
    doc: 'Remove a received OIFITS file from the list; a copy we downloaded is deleted unless a verdict was saved for it.',
    params: z.object({ id: z.string().min(1) }).strict(),
  }),
} satisfies MethodMap;

export const sampEvents = {
  'samp.statusChanged': defineEvent<SampStatus>('The SAMP connection or the list of applications changed.'),
  'samp.traffic': defineEvent<SampTrafficEntry>('A message went in or out.'),
  'samp.received': defineEvent<SampTablePreview>('A peer sent a table (table.load.votable); preview it, then samp.acceptTable.'),
  'samp.fitsReceived': defineEvent<SampReceivedFile>(
    'A peer sent an OIFITS file (table.load.fits), readable at `path`; it waits in the Review screen until the user opens it.',
  ),
  'samp.pointAt': defineEvent<{ raDeg: number; decDeg: number; senderName: string; nearestTargetId: string | null; separationArcsec: number | null }>(
    'A peer pointed at a sky position (coord.pointAt.sky); the nearest survey target is given for the UI to select. ' +
      'A burst of positions is thinned to the latest one every 250 ms.',
  ),
} satisfies EventMap;
