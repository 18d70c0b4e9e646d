# control (ru) — see i18n.rs FILES
