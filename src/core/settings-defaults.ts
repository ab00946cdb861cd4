/**
 * The policy pages a new archive starts with (core/settings.ts). Each opens with a notice that
 * it is the default text, so an archive that has not written its own says so plainly. The
 * wording describes what Fanfold itself stores and does; admins edit the rest in
 * /admin/settings/pages/….
 */

const notice = (what: string) =>
  `<p class="default-text-notice"><strong>This is Fanfold's default ${what}.</strong> ` +
  `The people who run this archive have not written their own yet: they can edit this page ` +
  `in Admin → Site settings. Until then it describes how the software works, not promises ` +
  `made by anyone in particular.</p>`;

export const DEFAULT_TOS = `${notice("Terms of Service")}
<h2>Using this archive</h2>
<p>This archive hosts fan works: stories and other creative works written by fans. Reading is free. By creating an account, posting, commenting or leaving kudos you agree to these terms and to the Content Policy.</p>
<h2>Who may have an account</h2>
<p>You must be at least the minimum age stated on the sign-up form. One person may hold more than one account, but accounts may not be used to get around a suspension or a ban.</p>
<h2>Your works stay yours</h2>
<p>You keep every right to what you post. By posting you allow the archive to store, display and distribute your work (including downloads and feeds) for as long as you keep it here. You can edit or delete your works at any time, and download a copy of everything you wrote.</p>
<h2>What you may not do</h2>
<ul>
<li>Post anything that breaks the Content Policy.</li>
<li>Harass other people, including through comments, bookmarks or tags.</li>
<li>Send spam, or use scripts that overload the archive.</li>
<li>Try to reach accounts or data that are not yours.</li>
</ul>
<h2>Moderation</h2>
<p>Moderators may hide or delete content that breaks these terms, and warn, suspend or ban accounts. A suspended account can still read but cannot post, comment, leave kudos or bookmark. Every moderator action is recorded.</p>
<h2>No warranty</h2>
<p>The archive is run by volunteers and provided as it is. Keep your own copies of what you write.</p>
<h2>Changes</h2>
<p>These terms may change; the archive will announce important changes with a banner.</p>`;

export const DEFAULT_CONTENT_POLICY = `${notice("Content Policy")}
<h2>What may be posted</h2>
<p>Fan works of any kind and any rating, as long as they are tagged honestly. Readers rely on ratings, warnings and tags to choose what to read.</p>
<h2>Ratings and warnings</h2>
<p>Give every work the rating and archive warnings that fit it. If you prefer not to warn, choose "Choose Not To Use Archive Warnings". Works rated Explicit or Mature are shown only to readers who chose to see them.</p>
<h2>Not allowed</h2>
<ul>
<li>Content that is illegal where this archive is hosted.</li>
<li>Sexually explicit content involving real people who are minors, or photographs or realistic images of minors in sexual situations.</li>
<li>Plagiarism: posting someone else's work as your own.</li>
<li>Harassment, threats, or sharing someone's personal information.</li>
<li>Commercial advertising and spam.</li>
</ul>
<h2>Reporting</h2>
<p>If you find something that breaks this policy, report it with the Report link on the page. Moderators review every report.</p>`;

export const DEFAULT_PRIVACY = `${notice("Privacy Policy")}
<h2>What the archive stores</h2>
<ul>
<li><strong>Your account:</strong> your username, e-mail address and a one-way hash of your password (never the password itself).</li>
<li><strong>What you write:</strong> works, chapters, comments, bookmarks and tags, and the kudos you leave.</li>
<li><strong>Your reading history</strong>, if you keep History turned on (you can turn it off and clear it in your preferences).</li>
<li><strong>Guests' kudos</strong> are counted with a keyed hash of the address they came from, never the address itself.</li>
</ul>
<h2>Cookies</h2>
<p>The archive sets only cookies it needs: your session while you are logged in, a token that protects forms, a one-time message after an action, and a note that you dismissed the current announcement. There are no advertising or tracking cookies and no third-party scripts.</p>
<h2>Who can see what</h2>
<p>Your e-mail address is never shown to other users. Moderators and administrators can see account details when handling reports.</p>
<h2>Your data</h2>
<p>You can download everything you wrote, and delete your account. Deleting an account removes your personal data; you choose whether each of your works is deleted or kept as orphaned.</p>
<h2>Questions</h2>
<p>Ask the people who run this archive.</p>`;

export const DEFAULT_FAQ = `${notice("FAQ")}
<h2>Do I need an account to read?</h2>
<p>No. Most works can be read by anyone; some creators restrict a work to logged-in readers.</p>
<h2>How do I post a work?</h2>
<p>Create an account, log in and choose "Post new work". You can save a draft and post it later.</p>
<h2>What are kudos?</h2>
<p>A way of telling a creator you liked their work. You can leave kudos once per work.</p>
<h2>How do I hide works I don't want to see?</h2>
<p>Use "Filters and muted users" in your menu to hide tags or mute users.</p>
<h2>How do I report a problem?</h2>
<p>Use the Report link on the page, or contact the people who run this archive.</p>`;
