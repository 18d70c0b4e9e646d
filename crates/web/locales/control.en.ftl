# control (en) — see i18n.rs FILES
