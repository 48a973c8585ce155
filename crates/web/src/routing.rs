//! The route table, declared once. Routes are written as with axum's `Router` —
//! `.route("/forms", get(list).post(create))` — but on [`Routes`], whose [`get`], [`post`],
//! [`put`] and [`delete`] note each method next to its handler. A [`MethodRouter`] cannot be
//! asked which methods it answers, so the methods are noted where the handlers are given:
//! [`crate::router`] serves what was declared and [`crate::routes`] lists it, from the same
//! declaration (the tests walk that list to check that every state change refuses a forged CSRF
//! token and a foreign Origin first).
//!
//! [`Routes::route`] takes nothing but [`Methods`], so a route declared here is listed. Routes
//! belong here, not on the axum `Router` that [`Routes::into_router`] returns: one added there
//! would be served unlisted, and unchecked by those tests.

use axum::Router;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::MethodRouter;

use crate::AppState;

/// One method on one path pattern, as the router serves it (`{id}` as declared).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// The HTTP method (`GET` also answers `HEAD`, as in axum).
    pub method: Method,
    /// The full path pattern, nesting prefixes included (`/api/v1/forms/{id}`).
    pub path: String,
}

impl Route {
    /// True for a method that may change state (anything but GET, HEAD, OPTIONS and TRACE).
    pub fn changes_state(&self) -> bool {
        !self.method.is_safe()
    }
}

/// The handlers of one path, by method, and the list of those methods.
#[derive(Debug)]
pub struct Methods {
    router: MethodRouter<AppState>,
    methods: Vec<Method>,
}

impl Methods {
    fn with(router: MethodRouter<AppState>, method: Method) -> Methods {
        Methods {
            router,
            methods: vec![method],
        }
    }

    fn and(
        mut self,
        add: impl FnOnce(MethodRouter<AppState>) -> MethodRouter<AppState>,
        method: Method,
    ) -> Methods {
        self.router = add(self.router);
        self.methods.push(method);
        self
    }

    /// Adds a GET handler.
    pub fn get<H: Handler<T, AppState>, T: 'static>(self, handler: H) -> Methods {
        self.and(|r| r.get(handler), Method::GET)
    }

    /// Adds a POST handler.
    pub fn post<H: Handler<T, AppState>, T: 'static>(self, handler: H) -> Methods {
        self.and(|r| r.post(handler), Method::POST)
    }

    /// Adds a PUT handler.
    pub fn put<H: Handler<T, AppState>, T: 'static>(self, handler: H) -> Methods {
        self.and(|r| r.put(handler), Method::PUT)
    }

    /// Adds a DELETE handler.
    pub fn delete<H: Handler<T, AppState>, T: 'static>(self, handler: H) -> Methods {
        self.and(|r| r.delete(handler), Method::DELETE)
    }
}

/// A GET handler.
pub fn get<H: Handler<T, AppState>, T: 'static>(handler: H) -> Methods {
    Methods::with(axum::routing::get(handler), Method::GET)
}

/// A POST handler.
pub fn post<H: Handler<T, AppState>, T: 'static>(handler: H) -> Methods {
    Methods::with(axum::routing::post(handler), Method::POST)
}

/// A PUT handler.
pub fn put<H: Handler<T, AppState>, T: 'static>(handler: H) -> Methods {
    Methods::with(axum::routing::put(handler), Method::PUT)
}

/// A DELETE handler.
pub fn delete<H: Handler<T, AppState>, T: 'static>(handler: H) -> Methods {
    Methods::with(axum::routing::delete(handler), Method::DELETE)
}

/// An axum router and the list of what it serves, built together.
#[derive(Debug)]
pub struct Routes {
    router: Router<AppState>,
    table: Vec<Route>,
}

impl Default for Routes {
    fn default() -> Self {
        Routes::new()
    }
}

impl Routes {
    /// No routes.
    pub fn new() -> Routes {
        Routes {
            router: Router::new(),
            table: Vec::new(),
        }
    }

    /// Serves `path` with `methods` (axum's [`Router::route`]).
    pub fn route(mut self, path: &str, methods: Methods) -> Routes {
        self.router = self.router.route(path, methods.router);
        self.table
            .extend(methods.methods.into_iter().map(|method| Route {
                method,
                path: path.to_string(),
            }));
        self
    }

    /// Adds `other`'s routes as they are (axum's [`Router::merge`]).
    pub fn merge(mut self, other: Routes) -> Routes {
        self.router = self.router.merge(other.router);
        self.table.extend(other.table);
        self
    }

    /// Serves `other`'s routes under `prefix` (axum's [`Router::nest`]; its `/` is `prefix`
    /// itself).
    pub fn nest(mut self, prefix: &str, other: Routes) -> Routes {
        self.router = self.router.nest(prefix, other.router);
        self.table
            .extend(other.table.into_iter().map(|Route { method, path }| Route {
                method,
                path: if path == "/" {
                    prefix.to_string()
                } else {
                    format!("{prefix}{path}")
                },
            }));
        self
    }

    /// The router, for serving.
    pub fn into_router(self) -> Router<AppState> {
        self.router
    }

    /// What the router serves, in the order declared.
    pub fn into_table(self) -> Vec<Route> {
        self.table
    }
}
