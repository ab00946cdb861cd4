/** The admin dashboard and what every admin page shares (the way back to it). */
import type { ComponentChildren } from "preact";
import type { AdminArea } from "./dashboard.ts";

/** "Admin › …": the way back up from an admin page. */
export function AdminTrail(props: { trail: [label: string, href: string][]; children?: never }) {
  return (
    <nav class="admin-trail" aria-label="Breadcrumb">
      <ol>
        <li>
          <a href="/admin">Admin</a>
        </li>
        {props.trail.map(([label, href]) => (
          <li key={href}>
            <a href={href}>{label}</a>
          </li>
        ))}
      </ol>
    </nav>
  );
}

export function AdminPage(props: {
  title: string;
  trail?: [label: string, href: string][];
  children: ComponentChildren;
}) {
  return (
    <div class="admin-page">
      <AdminTrail trail={props.trail ?? []} />
      <h1>{props.title}</h1>
      {props.children}
    </div>
  );
}

export function DashboardView(props: { areas: AdminArea[] }) {
  return (
    <div class="admin-page">
      <h1>Admin</h1>
      <p>What your roles let you do on this archive.</p>
      <ul class="admin-areas">
        {props.areas.map((area) => (
          <li key={area.href}>
            <h2>
              <a href={area.href}>{area.label}</a>
            </h2>
            <p>{area.description}</p>
          </li>
        ))}
      </ul>
    </div>
  );
}
