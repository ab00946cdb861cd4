import cookie from "@fastify/cookie";
import multipart from "@fastify/multipart";
import Fastify, {
  LogController,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from "fastify";
import { limits } from "../limits.ts";
import { BANNER_COOKIE, cachedSiteChrome, siteChrome } from "../settings.ts";
import { cleanInputText } from "../text/input-text.ts";
import { renderPage } from "../views/render.tsx";
import type { SiteChrome } from "../views/context.ts";
import { GUEST, type Viewer, type ViewerUser } from "../viewer.ts";
import { assetUrlFor, loadAssets, registerAssets } from "./assets.ts";
import { csrfToken, newGuestBinding } from "./csrf.ts";
import { HttpError } from "./errors.ts";
import { cleanJson, INVALID_QUERY, invalidText, parseFormBody, parseQueryString } from "./input.ts";
import { gateRequests, RequestGate } from "./overload.ts";
import { databaseCheck, migrationsCheck, Readiness } from "./readiness.ts";
import { sameSiteReferer } from "./return-to.ts";
import { errorPage, FLASH_COOKIE, sendPage, type AppDeps, type RequestState } from "./route.tsx";

declare module "fastify" {
  interface FastifyInstance {
    assetUrl: (name: string) => string;
    /** What /readyz checks; domains add theirs (the browse index's first build). */
    readiness: Readiness;
    /** Requests in flight and waiting (overload.ts). */
    requestGate: RequestGate;
  }
  interface FastifyRequest {
    /** The files of a multipart form (an import's upload), read whole; empty otherwise. */
    uploads: UploadedFile[];
  }
}

/** One file of a multipart form, as readMultipart keeps it. */
export interface UploadedFile {
  field: string;
  /** The name the browser gave it (no folders); not yet cleaned. */
  fileName: string;
  mimeType: string;
  bytes: Buffer;
}

/** What every request without a multipart body has: no files (shared, never written to). */
const NO_UPLOADS: UploadedFile[] = [];
Object.freeze(NO_UPLOADS);

export interface ViewerResolution {
  viewer: Viewer;
  sessionId: string | null;
}

/** Adds to a logged-in viewer what one domain keeps about them (exclusions, unread count). */
export type UserDetails = (user: ViewerUser) => Promise<Partial<ViewerUser>>;

export interface HttpOptions {
  /** Supplied by the accounts domain: reads the session cookie. */
  resolveViewer: (req: FastifyRequest) => ViewerResolution | Promise<ViewerResolution>;
  /** Run together once the viewer is known; each returns the fields it fills. */
  userDetails?: readonly UserDetails[];
  logger?: boolean;
}

const GUEST_CSRF_COOKIE = "fanfold_csrf";
/** What newGuestBinding() makes: 18 random bytes, base64url. */
const GUEST_BINDING = /^[A-Za-z0-9_-]{24}$/;

/** Probes answer without a database call or a viewer, and are never queued or shed. */
const PROBES = new Set(["/healthz", "/readyz"]);
/**
 * Not counted against the request limit either: served from memory, and a page already sent
 * should get its stylesheet and script rather than a 503.
 */
const UNGATED = new Set([...PROBES, "/assets/:name", "/favicon.ico"]);

const CSP = [
  "default-src 'self'",
  // Authors may embed images from elsewhere, as on AO3; nothing else leaves the site.
  "img-src 'self' https: http: data:",
  "style-src 'self'",
  "script-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const SECURITY_HEADERS = {
  "content-security-policy": CSP,
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
  "x-frame-options": "DENY",
};

/**
 * The request's state. The CSRF token is made when something asks for it (a form on the
 * page, the token dispenser, a POST's check), not on every request: a guest without the
 * cookie gets one only then, and a page without a form costs no HMAC. A guest who sent a
 * valid cookie keeps it.
 */
class PageRequestState implements RequestState {
  readonly viewer: Viewer;
  readonly sessionId: string | null;
  readonly flash: string | undefined;
  site?: SiteChrome | undefined;
  #binding: string | undefined;
  #token: string | undefined;

  constructor(
    req: FastifyRequest,
    private readonly reply: FastifyReply,
    resolved: ViewerResolution,
    private readonly config: AppDeps["config"],
  ) {
    this.viewer = resolved.viewer;
    this.sessionId = resolved.sessionId;
    this.flash = req.cookies[FLASH_COOKIE];
    const cookie = resolved.sessionId ? undefined : req.cookies[GUEST_CSRF_COOKIE];
    this.#binding =
      resolved.sessionId ??
      (cookie !== undefined && GUEST_BINDING.test(cookie) ? cookie : undefined);
  }

  get csrfBinding(): string {
    if (this.#binding === undefined) {
      this.#binding = newGuestBinding();
      this.reply.setCookie(GUEST_CSRF_COOKIE, this.#binding, {
        path: "/",
        httpOnly: true,
        sameSite: "lax",
        secure: this.config.secureCookies,
      });
    }
    return this.#binding;
  }

  get csrfToken(): string {
    return (this.#token ??= csrfToken(this.config.secret, this.csrfBinding));
  }
}

export async function createHttpServer(deps: AppDeps, opts: HttpOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      opts.logger === false || deps.config.logLevel === "silent"
        ? false
        : { level: deps.config.logLevel },
    trustProxy: deps.config.trustProxy,
    // A reverse proxy keeps access logs; ours record what went wrong.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: limits.bodyBytes,
    routerOptions: { querystringParser: parseQueryString, ignoreTrailingSlash: true },
  });

  // First of all hooks: a request that cannot be served in time costs next to nothing.
  const gate = new RequestGate(deps.config.overload);
  app.decorate("requestGate", gate);
  app.addHook("onClose", async () => gate.pressure.close());
  let busyPage: string | Buffer | undefined;
  app.addHook(
    "onRequest",
    gateRequests(
      gate,
      (req) => UNGATED.has(req.routeOptions.url ?? ""),
      (req, reply) => {
        const message = "The archive is very busy right now. Please try again in a few seconds.";
        if (wantsJson(req)) return reply.code(503).send({ error: message, status: 503 });
        // One page for every shed request, rendered once: no viewer, no database.
        busyPage ??= renderPage(errorPage(503, "The archive is busy", message), {
          viewer: GUEST,
          csrfToken: "",
          path: "/",
          assetUrl: app.assetUrl,
        });
        return reply.code(503).type("text/html; charset=utf-8").send(busyPage);
      },
    ),
  );

  const assets = loadAssets();
  app.decorate("assetUrl", assetUrlFor(assets));
  await app.register(cookie);
  // Every form field and query parameter comes through input.ts: strict UTF-8, no control
  // characters. The body limit is the server's, or the route's own (the posting forms).
  app.addContentTypeParser(
    "application/x-www-form-urlencoded",
    { parseAs: "buffer" },
    (_req, body: Buffer, done) => {
      try {
        done(null, parseFormBody(body));
      } catch (err) {
        done(err as Error, undefined);
      }
    },
  );
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (req, body: string, done) => {
    void parseJson(req, body, (err: Error | null, value?: unknown) =>
      err ? done(err, undefined) : done(null, cleanJson(value)),
    );
  });

  // Multipart forms (an import's file upload) only: @fastify/multipart adds a parser for that
  // content type alone, and readMultipart turns the fields into the same strings the other
  // parsers give, so the CSRF check and validation of the route chain run unchanged.
  await app.register(multipart, {
    limits: { files: 1, fields: 200, parts: 201, fieldSize: limits.bodyBytes, headerPairs: 100 },
  });
  app.decorateRequest("uploads", null as never);
  app.addHook("preValidation", (req, _reply, done) => {
    if (!req.isMultipart()) {
      req.uploads = NO_UPLOADS;
      return done();
    }
    req.uploads = [];
    readMultipart(req).then(() => done(), done);
  });

  app.decorateRequest("state", null as never);
  app.addHook("onRequest", async (req, reply) => {
    if (PROBES.has(req.routeOptions.url ?? "")) return;
    let resolved: ViewerResolution;
    try {
      const viewer = opts.resolveViewer(req);
      resolved = viewer instanceof Promise ? await viewer : viewer;
      const user = resolved.viewer.user;
      if (user && opts.userDetails?.length) {
        const parts = await Promise.all(opts.userDetails.map((details) => details(user)));
        resolved = {
          ...resolved,
          viewer: { ...resolved.viewer, user: Object.assign({ ...user }, ...parts) as ViewerUser },
        };
      }
    } catch (err) {
      req.log.error(err, "could not resolve viewer");
      resolved = { viewer: GUEST, sessionId: null };
    }
    req.state = new PageRequestState(req, reply, resolved, deps.config);
    // The archive's name and banner for the layout (cached a few seconds per process).
    try {
      const dismissed = req.cookies[BANNER_COOKIE];
      const now = deps.now();
      req.state.site =
        cachedSiteChrome(deps.db, deps.config, now, dismissed) ??
        (await siteChrome(deps.db, deps.config, now, dismissed));
    } catch (err) {
      req.log.error(err, "could not read the site settings");
    }
    const invalidParameter = (req.query as Record<symbol, unknown> | undefined)?.[INVALID_QUERY];
    if (typeof invalidParameter === "string") throw invalidText(invalidParameter);
  });

  // The same headers on every answer, set at once (one hook, no promise).
  app.addHook("onSend", (_req, reply, payload, done) => {
    reply.headers(SECURITY_HEADERS);
    done(null, payload);
  });

  app.setErrorHandler(async (err, req, reply) => {
    const status =
      err instanceof HttpError
        ? err.status
        : typeof (err as { statusCode?: unknown }).statusCode === "number"
          ? (err as { statusCode: number }).statusCode
          : 500;
    if (status >= 500) req.log.error(err);
    const message =
      err instanceof HttpError
        ? err.message
        : status === 413
          ? "That was too large to accept."
          : status < 500
            ? (err as Error).message
            : "Something went wrong on our side. It has been logged; please try again.";
    if (!req.state)
      req.state = {
        viewer: GUEST,
        sessionId: null,
        csrfBinding: "",
        csrfToken: "",
        flash: undefined,
      };
    if (wantsJson(req)) return reply.code(status).send({ error: message, status });
    if (status === 413) return sendPage(req, reply, tooLargePage(req));
    return sendPage(req, reply, errorPage(status, titleFor(status), message));
  });

  app.setNotFoundHandler(async (req, reply) => {
    if (wantsJson(req)) return reply.code(404).send({ error: "Not found", status: 404 });
    return sendPage(
      req,
      reply,
      errorPage(404, "Page not found", "Sorry, we couldn't find the page you were looking for."),
    );
  });

  registerAssets(app, assets);

  // Alive: this process answers. No database call, so a slow database never gets it restarted.
  app.get("/healthz", async (_req, reply) => {
    reply.header("cache-control", "no-store");
    return { status: "ok", database: deps.engine };
  });

  // Ready: send it readers. 503 naming each check that is not ready yet.
  const readiness = new Readiness();
  readiness.add("database", databaseCheck(deps.db));
  readiness.add("migrations", migrationsCheck(deps.db));
  app.decorate("readiness", readiness);
  app.get("/readyz", async (_req, reply) => {
    const { ready, checks } = await readiness.report();
    reply.header("cache-control", "no-store");
    return reply.code(ready ? 200 : 503).send({ status: ready ? "ready" : "not ready", checks });
  });

  return app;
}

/**
 * Reads a multipart body: its fields into `req.body` (cleaned like any form field), its files
 * whole into `req.uploads`, each at most the route's body limit (a larger one is a 413). Only
 * for a logged-in viewer: a guest's upload is not read at all, and the route refuses it.
 */
async function readMultipart(req: FastifyRequest): Promise<void> {
  const fields: Record<string, string | string[]> = {};
  req.body = fields;
  if (!req.state.viewer.user) return;
  const fileSize = req.routeOptions.bodyLimit ?? limits.bodyBytes;
  for await (const part of req.parts({ limits: { fileSize } })) {
    const name = cleanInputText(part.fieldname);
    if (part.type === "file") {
      const bytes = await part.toBuffer();
      // A file input left empty still sends a part, with no name and no bytes.
      if (part.filename === "" && bytes.length === 0) continue;
      req.uploads.push({ field: name, fileName: part.filename, mimeType: part.mimetype, bytes });
      continue;
    }
    if (part.valueTruncated)
      throw new HttpError(413, `The field "${name}" is longer than this form accepts.`);
    const value = cleanInputText(String(part.value));
    const before = Object.hasOwn(fields, name) ? fields[name] : undefined;
    fields[name] = before === undefined ? value : [before, value].flat();
  }
}

function wantsJson(req: FastifyRequest): boolean {
  const accept = req.headers.accept ?? "";
  return (
    // Page scripts (kudos, reading position) ask for JSON; browsers' own requests ask for HTML.
    (accept.includes("application/json") && !accept.includes("text/html")) ||
    req.url.startsWith("/api/") ||
    req.url.startsWith("/autocomplete/") ||
    /\.json(\?|$)/.test(req.url)
  );
}

const megabytes = (bytes: number) =>
  `${(bytes / 1024 / 1024).toLocaleString("en-US", { maximumFractionDigits: 1 })} MB`;

/** The page a form gets when it is over the body limit: what the limit is, and a way back. */
function tooLargePage(req: FastifyRequest) {
  const limit = req.routeOptions.bodyLimit ?? limits.bodyBytes;
  const back = sameSiteReferer(req, "/");
  return errorPage(
    413,
    "That was too large to accept",
    "",
    <section class="error-page">
      <h1>That was too large to accept</h1>
      {req.isMultipart() ? (
        <>
          <p>
            <strong>Nothing was saved.</strong> The file you chose is larger than the{" "}
            {megabytes(limit)} this form accepts.
          </p>
          <p>
            <a href={back}>Go back to the form</a> and choose a smaller file (a long work can be
            imported in parts, then the rest added as chapters).
          </p>
        </>
      ) : (
        <>
          <p>
            <strong>Nothing was saved.</strong> What you sent was larger than the {megabytes(limit)}{" "}
            this form accepts
            {limit > limits.bodyBytes
              ? ` (a chapter can have up to ${limits.chapterText.max.toLocaleString("en-US")} characters)`
              : ""}
            .
          </p>
          <p>
            <a href={back}>Go back to the form</a>; your browser may still have what you typed. Make
            it shorter (or split it into chapters) and send it again.
          </p>
        </>
      )}
    </section>,
  );
}

function titleFor(status: number): string {
  switch (status) {
    case 400:
      return "That request wasn't right";
    case 401:
      return "Please log in";
    case 403:
      return "Not allowed";
    case 404:
      return "Page not found";
    case 413:
      return "Too large";
    case 422:
      return "Please check the form";
    case 429:
      return "Too many requests";
    default:
      return status >= 500 ? "Something went wrong" : "Error";
  }
}
