-- Training programmes: learning outcomes (one a line), the codes of the monitoring criteria they
-- build (comma-separated), and their courses (a JSON array of {title_ru, title_en, hours}).
-- Keep in step with ../sqlite.
ALTER TABLE training_programmes ADD COLUMN outcomes TEXT NOT NULL DEFAULT '';
ALTER TABLE training_programmes ADD COLUMN competences TEXT NOT NULL DEFAULT '';
ALTER TABLE training_programmes ADD COLUMN courses TEXT NOT NULL DEFAULT '[]';
