/**
 * A person's data, as pages: `/users/:login/data` (ask for an export, download it),
 * `/works/:id/orphan` (give one work away) and `/users/:login/delete` (close the account).
 * Every page is the owner's alone: staff manage other people's accounts from /admin.
 */
import { createReadStream } from "node:fs";
import { access } from "node:fs/promises";
import type { FastifyInstance } from "fastify";
import { ownAccount } from "../accounts/lookup.ts";
import { endSession } from "../accounts/sessions.ts";
import { notFound } from "../core/http/errors.ts";
import { redirect, refusalError, refusedForm, route, type AppDeps } from "../core/http/route.tsx";
import { refusalMessage } from "../core/result.ts";
import type { ViewerUser } from "../core/viewer.ts";
import { emptyForm, type FormState } from "../core/views/forms.tsx";
import { page } from "../core/views/render.tsx";
import type { LoadedWork } from "../works/load.ts";
import { loadOwnWork } from "../works/load.ts";
import { deleteAccount, orphanWork, requestExport } from "./commands.ts";
import { exportPath } from "./export.tsx";
import { removeExportFiles } from "./prune.ts";
import * as q from "./queries.ts";
import {
  DeleteAccountInput,
  ExportParams,
  LoginParams,
  OrphanInput,
  OrphanParams,
} from "./schemas.ts";
import { DataView, DeleteAccountView, OrphanView } from "./views.tsx";

/** Exports asked for per account (and per address): each one reads everything the account has. */
const EXPORT_LIMIT = { name: "data-export", limit: 5, windowMs: 24 * 3_600_000 };

const ownPseudNames = (loaded: LoadedWork, user: ViewerUser) =>
  loaded.creators.filter((c) => c.userId === user.id).map((c) => c.pseudName);

function orphanPage(loaded: LoadedWork, user: ViewerUser, form: FormState) {
  return page(
    `Orphan ${loaded.work.title}`,
    <OrphanView
      workId={loaded.work.id}
      title={loaded.work.title}
      pseudNames={ownPseudNames(loaded, user)}
      form={form}
    />,
  );
}

async function deleteAccountPage(
  deps: AppDeps,
  account: { id: number; login: string },
  form: FormState,
) {
  const works = await q.worksOfUser(deps.db, account.id);
  return page(
    "Delete your account",
    <DeleteAccountView login={account.login} works={works} form={form} />,
  );
}

export function registerPersonalDataRoutes(app: FastifyInstance, deps: AppDeps) {
  route(app, deps, {
    method: "GET",
    url: "/users/:login/data",
    auth: "user",
    params: LoginParams,
    handler: async ({ deps, user, params }) => {
      const account = await ownAccount(deps, user, params.login);
      const exports = await q.exportsOfUser(deps.db, account.id, deps.now());
      return page("Your data", <DataView login={account.login} exports={exports} />);
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/users/:login/data/exports",
    auth: "user",
    params: LoginParams,
    limit: { ...EXPORT_LIMIT, by: "both" },
    // No form nonce needed: while one export is queued, asking again only says so.
    handler: async ({ deps, user, params }) => {
      const account = await ownAccount(deps, user, params.login);
      const result = await requestExport(deps.db, { userId: account.id, now: deps.now() });
      const back = `/users/${account.login}/data`;
      if (!result.ok) {
        if (result.status === 409) return redirect(back, refusalMessage(result));
        throw refusalError(result);
      }
      return redirect(back, "Your data is being prepared. It will be listed below when ready.");
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/users/:login/data/exports/:id",
    auth: "user",
    params: ExportParams,
    handler: async ({ reply, deps, user, params }) => {
      const account = await ownAccount(deps, user, params.login);
      const row = await q.findExport(deps.db, params.id);
      const now = deps.now();
      if (!row || row.user_id !== account.id || row.status !== "ready" || row.expires_at <= now)
        throw notFound("export");
      const file = exportPath(deps.config.dataDir, row.file_name);
      try {
        await access(file);
      } catch {
        throw notFound("export");
      }
      const day = new Date(row.finished_at ?? row.created_at).toISOString().slice(0, 10);
      return reply
        .header(
          "content-disposition",
          `attachment; filename="fanfold-data-${account.login}-${day}.tar.gz"`,
        )
        .header("cache-control", "private, no-store")
        .type("application/gzip")
        .send(createReadStream(file));
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/works/:workId/orphan",
    auth: "user",
    params: OrphanParams,
    handler: async ({ deps, user, viewer, params }) => {
      const loaded = await loadOwnWork(deps, user, viewer, params.workId);
      return orphanPage(loaded, user, emptyForm());
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/works/:workId/orphan",
    auth: "user",
    params: OrphanParams,
    body: OrphanInput,
    onInvalid: async (ctx, errors) => {
      const loaded = await loadOwnWork(ctx.deps, ctx.user, ctx.viewer, ctx.params.workId);
      return orphanPage(loaded, ctx.user, { values: ctx.body, errors });
    },
    handler: async ({ req, deps, user, viewer, params, body }) => {
      const loaded = await loadOwnWork(deps, user, viewer, params.workId);
      const result = await orphanWork(deps.db, {
        userId: user.id,
        choice: { workId: loaded.work.id, keepName: body.keep_pseud },
        now: deps.now(),
      });
      if (!result.ok) return refusedForm(req, result, (form) => orphanPage(loaded, user, form));
      return redirect(
        `/works/${loaded.work.id}`,
        `"${loaded.work.title}" was orphaned. It is no longer linked to you.`,
      );
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/users/:login/delete",
    auth: "user",
    params: LoginParams,
    handler: async ({ deps, user, params }) => {
      const account = await ownAccount(deps, user, params.login);
      return deleteAccountPage(deps, account, emptyForm());
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/users/:login/delete",
    auth: "user",
    params: LoginParams,
    body: DeleteAccountInput,
    onInvalid: async (ctx, errors) => {
      const account = await ownAccount(ctx.deps, ctx.user, ctx.params.login);
      return deleteAccountPage(ctx.deps, account, { values: ctx.body, errors });
    },
    handler: async ({ req, reply, deps, user, params, body }) => {
      const account = await ownAccount(deps, user, params.login);
      const fates = new Map<number, string | undefined>();
      for (const [name, value] of Object.entries(body)) {
        const id = /^work_(\d{1,10})$/.exec(name)?.[1];
        if (id) fates.set(Number(id), Array.isArray(value) ? value.at(-1) : value);
      }
      const result = await deleteAccount(deps.db, {
        userId: account.id,
        password: body.password,
        fates,
        now: deps.now(),
      });
      if (!result.ok)
        return refusedForm(req, result, (form) => deleteAccountPage(deps, account, form));
      // Committed: the archives' files go too (the prune job sweeps any left behind).
      await removeExportFiles(deps.config.dataDir, result.value.files, req.log);
      await endSession(deps, req, reply);
      return redirect("/", "Your account has been deleted. Goodbye, and thank you.");
    },
  });
}
