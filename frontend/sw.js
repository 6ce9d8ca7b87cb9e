// Career Center's service worker: after a first visit the youth's app opens offline, and so
// does the guide once one of its pages was seen.
//
// - Pages (navigations): the network first; offline, the app's shell from the last visit
//   (every page of an app has the same shell; the staff's app is not kept).
// - The app's own files: hashed names that never change, so from the cache once fetched.
// - Reference data (the inventory, sectors, regions, centers, occupations): the network
//   first, the last answer kept for offline.
// Nothing a signed-in call answers is kept here: personal data stays out of this cache.
// Answers vary by Accept-Encoding, which the worker's own fetches do not send as the page's
// do: lookups ignore Vary (the browser decodes whatever was kept).
const CACHE = "cc-app-2";
const PUBLIC_API = [
  "/api/v1/orientation/inventory",
  "/api/v1/sectors",
  "/api/v1/regions",
  "/api/v1/centers",
  "/api/v1/occupations",
];
// As shared::pages says: the pages of the guide and of the staff's app, and their folders.
const GUIDE_PAGES = ["/offers", "/applications", "/saved", "/sectors", "/occupations", "/centers", "/events", "/certificates", "/appointments", "/notices", "/forgot-password", "/reset-password", "/verify-email"];
const STAFF_PAGES = ["/admin", "/organizations", "/invitations", "/manage"];
const OTHER_ASSETS = ["/guide/", "/staff/"];

const under = (pages, path) => pages.some((p) => path === p || path.startsWith(p + "/"));
const isStaff = (path) => under(STAFF_PAGES, path);
// Where an app's shell is kept: "/" for the youth's, "/guide/" for the guide's.
const shellOf = (path) => (under(GUIDE_PAGES, path) ? "/guide/" : "/");
// Whether a built file belongs to the app whose shell is kept at `shell`.
const ofApp = (shell, path) =>
  shell === "/" ? !OTHER_ASSETS.some((a) => path.startsWith(a)) : path.startsWith(shell);
const isPublicApi = (path) =>
  PUBLIC_API.some((p) => path === p || path.startsWith(p + "/") || path.startsWith(p + "?"));

self.addEventListener("install", (event) => {
  // The youth's shell, and the guide's (its pages are linked from the youth's), asked for by
  // one of its pages: the server answers "/guide/" itself with the youth's shell.
  event.waitUntil(
    Promise.all([
      keepShell().catch(() => {}),
      fetch(GUIDE_PAGES[0], { cache: "no-cache" })
        .then((response) => keepShell(response, "/guide/"))
        .catch(() => {}),
    ]),
  );
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// An app's shell (the youth's unless `key` says) and the files it names (and the other
// languages' catalogues); files of an earlier build that the new shell no longer names are
// let go.
async function keepShell(response, key = "/") {
  const cache = await caches.open(CACHE);
  const shell = response || (await fetch(key, { cache: "no-cache" }));
  if (!shell.ok) return;
  const html = await shell.clone().text();
  await cache.put(key, shell);
  const named = new Set(["/ar.ftl", "/en.ftl", "/manifest.webmanifest", "/icon192.png"]);
  for (const m of html.matchAll(/["'](\/[^"'?#]+\.(?:js|wasm|css))["']/g)) named.add(m[1]);
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname;
    if (/\.(js|wasm|css)$/.test(path) && ofApp(key, path) && !named.has(path)) {
      await cache.delete(request);
    }
  }
  await Promise.all(
    [...named].map(async (path) => {
      if (!(await cache.match(path, { ignoreVary: true }))) {
        const file = await fetch(path);
        if (file.ok) await cache.put(path, file);
      }
    }),
  );
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(page(request, url));
  } else if (url.pathname.startsWith("/api/")) {
    if (!request.headers.has("Authorization") && isPublicApi(url.pathname)) {
      event.respondWith(networkFirst(request));
    }
  } else if (/\.(js|wasm|css|ftl|png|webmanifest)$/.test(url.pathname)) {
    event.respondWith(cacheFirst(request));
  }
});

async function page(request, url) {
  try {
    const response = await fetch(request);
    // Only an app's page is its shell: not the API's documents opened in a tab.
    const html = (response.headers.get("content-type") || "").startsWith("text/html");
    const app = !/^\/(api|api-docs|docs)(\/|$)/.test(url.pathname) && !isStaff(url.pathname);
    if (response.ok && html && app) {
      keepShell(response.clone(), shellOf(url.pathname)).catch(() => {});
    }
    return response;
  } catch (offline) {
    const shell =
      !isStaff(url.pathname) &&
      (await caches.match(shellOf(url.pathname), { ignoreVary: true }));
    if (shell) return shell;
    throw offline;
  }
}

async function networkFirst(request) {
  try {
    const response = await fetch(request);
    if (response.ok) {
      const cache = await caches.open(CACHE);
      await cache.put(request, response.clone());
    }
    return response;
  } catch (offline) {
    const kept = await caches.match(request, { ignoreVary: true });
    if (kept) return kept;
    throw offline;
  }
}

async function cacheFirst(request) {
  const kept = await caches.match(request, { ignoreVary: true });
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}
