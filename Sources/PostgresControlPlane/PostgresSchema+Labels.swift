import PostgresNIO

/// Version 2: the label store's tables (`LabelStore`'s SQLite schema `v1`…`v6` as it stands, in PostgreSQL's types), so
/// that daemons on one database share datasets, images, labels and labeling jobs. Names are SQLite's, unquoted (so
/// folded to lower case: the store's SQL, unquoted too, finds them); ids are `bigserial`, image bytes `bytea`, times
/// seconds since 1970 in `double precision`, names sorted bytewise (`COLLATE "C"`) as SQLite sorts them. The SQLite
/// schema's triggers — a box inside its image, the append-only history, `labeledImage` kept from the history — are
/// PL/pgSQL functions here.
extension PostgresSchema {
    static let labelTables: [PostgresQuery] = [
        """
        CREATE TABLE dataset (
            id bigserial PRIMARY KEY,
            name text COLLATE "C" NOT NULL UNIQUE,
            createdAt double precision NOT NULL)
        """,
        // `sha256` is the hash of the file as imported; `uprightSha256` of the stored upright bytes when EXIF
        // orientation had to be applied.
        """
        CREATE TABLE image (
            id bigserial PRIMARY KEY,
            datasetId bigint NOT NULL REFERENCES dataset(id) ON DELETE CASCADE,
            sha256 text NOT NULL,
            fileName text COLLATE "C" NOT NULL,
            width bigint NOT NULL CHECK (width > 0),
            height bigint NOT NULL CHECK (height > 0),
            orientation bigint NOT NULL DEFAULT 1 CHECK (orientation BETWEEN 1 AND 8),
            format text NOT NULL DEFAULT 'jpeg' CHECK (format IN ('jpeg', 'png')),
            uprightSha256 text,
            sourceRef text,
            importedAt double precision,
            UNIQUE (datasetId, sha256), UNIQUE (datasetId, fileName), UNIQUE (datasetId, uprightSha256), UNIQUE (id, datasetId))
        """,
        """
        CREATE TABLE imageContent (
            imageId bigint PRIMARY KEY REFERENCES image(id) ON DELETE CASCADE,
            bytes bytea NOT NULL CHECK (length(bytes) > 0))
        """,
        """
        CREATE TABLE labelCategory (
            datasetId bigint NOT NULL REFERENCES dataset(id) ON DELETE CASCADE,
            classId bigint NOT NULL CHECK (classId >= 0),
            name text COLLATE "C" NOT NULL CHECK (length(name) BETWEEN 1 AND 256),
            PRIMARY KEY (datasetId, classId),
            UNIQUE (datasetId, name))
        """,
        """
        CREATE TABLE box (
            id bigserial PRIMARY KEY,
            imageId bigint NOT NULL,
            datasetId bigint NOT NULL,
            classId bigint NOT NULL,
            "left" double precision NOT NULL CHECK ("left" >= 0),
            top double precision NOT NULL CHECK (top >= 0),
            width double precision NOT NULL CHECK (width > 0),
            height double precision NOT NULL CHECK (height > 0),
            FOREIGN KEY (imageId, datasetId) REFERENCES image(id, datasetId) ON DELETE CASCADE,
            FOREIGN KEY (datasetId, classId) REFERENCES labelCategory(datasetId, classId))
        """,
        "CREATE INDEX box_imageId ON box(imageId)",
        """
        CREATE FUNCTION box_inside_image() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF EXISTS (SELECT 1 FROM image WHERE image.id = NEW.imageId
                       AND (NEW."left" + NEW.width > image.width OR NEW.top + NEW.height > image.height)) THEN
                RAISE EXCEPTION 'box outside its image';
            END IF;
            RETURN NEW;
        END $$
        """,
        "CREATE TRIGGER box_inside_image BEFORE INSERT OR UPDATE ON box FOR EACH ROW EXECUTE FUNCTION box_inside_image()",
        // One row per write transaction that changed labels; `at` is Unix time in seconds, to the microsecond.
        """
        CREATE TABLE revision (
            id bigserial PRIMARY KEY,
            at double precision NOT NULL,
            summary text NOT NULL,
            origin text NOT NULL DEFAULT 'human' CHECK (origin IN ('human', 'machine')))
        """,
        // The history: every change to every box, never updated. Undo is a new row naming the change it undoes.
        """
        CREATE TABLE labelChange (
            id bigserial PRIMARY KEY,
            revisionId bigint NOT NULL REFERENCES revision(id),
            imageId bigint NOT NULL REFERENCES image(id) ON DELETE CASCADE,
            boxId bigint,
            action text NOT NULL CHECK (action IN ('add', 'update', 'delete', 'submit', 'undo')),
            "before" text,
            "after" text,
            undoes bigint UNIQUE REFERENCES labelChange(id),
            CHECK ((action = 'undo') = (undoes IS NOT NULL)),
            CHECK (action IN ('submit', 'undo') OR boxId IS NOT NULL),
            CHECK (action <> 'submit' OR boxId IS NULL))
        """,
        "CREATE INDEX labelChange_imageId ON labelChange(imageId)",
        """
        CREATE FUNCTION labelChange_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'the label history is append-only';
        END $$
        """,
        "CREATE TRIGGER labelChange_append_only BEFORE UPDATE ON labelChange FOR EACH ROW EXECUTE FUNCTION labelChange_append_only()",
        // Changes still in effect: not undo rows, and not undone.
        """
        CREATE VIEW effectiveChange AS
            SELECT c.* FROM labelChange c
            WHERE c.action <> 'undo' AND NOT EXISTS (SELECT 1 FROM labelChange u WHERE u.undoes = c.id)
        """,
        // An image is labeled while any change to it is in effect; `revisionId` is the latest such write. Kept by the
        // trigger below on every history entry.
        """
        CREATE TABLE labeledImage (
            imageId bigint PRIMARY KEY REFERENCES image(id) ON DELETE CASCADE,
            revisionId bigint NOT NULL REFERENCES revision(id))
        """,
        """
        CREATE FUNCTION labelChange_labeledImage() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM labeledImage WHERE imageId = NEW.imageId;
            INSERT INTO labeledImage (imageId, revisionId)
                SELECT NEW.imageId, MAX(revisionId) FROM effectiveChange WHERE imageId = NEW.imageId HAVING COUNT(*) > 0;
            RETURN NULL;
        END $$
        """,
        "CREATE TRIGGER labelChange_labeledImage AFTER INSERT ON labelChange FOR EACH ROW EXECUTE FUNCTION labelChange_labeledImage()",
        "CREATE TABLE setting (key text PRIMARY KEY, value text NOT NULL)",
        """
        CREATE TABLE labelingJob (
            id bigserial PRIMARY KEY,
            name text COLLATE "C" NOT NULL UNIQUE,
            labelAttributeName text NOT NULL,
            datasetId bigint NOT NULL UNIQUE REFERENCES dataset(id) ON DELETE CASCADE,
            status text NOT NULL CHECK (status IN ('InProgress', 'Completed', 'Stopped')),
            maxHumanLabeledObjectCount bigint CHECK (maxHumanLabeledObjectCount >= 1),
            maxPercentageOfInputDatasetLabeled bigint CHECK (maxPercentageOfInputDatasetLabeled BETWEEN 1 AND 100),
            createdAt double precision NOT NULL,
            lastModifiedAt double precision NOT NULL,
            reviewsLabelAttributeName text,
            taskType text NOT NULL DEFAULT 'BoundingBox' CHECK (taskType IN ('BoundingBox', 'AdjustmentBoundingBox', 'VerificationBoundingBox')),
            taskAvailabilityLifetimeInSeconds bigint CHECK (taskAvailabilityLifetimeInSeconds >= 1))
        """,
        // The job's input manifest, line by line: each line's image, or why it could not be read.
        """
        CREATE TABLE labelingJobItem (
            jobId bigint NOT NULL REFERENCES labelingJob(id) ON DELETE CASCADE,
            position bigint NOT NULL CHECK (position >= 0),
            line text NOT NULL,
            imageId bigint REFERENCES image(id),
            failureReason text,
            PRIMARY KEY (jobId, position),
            CHECK ((imageId IS NULL) <> (failureReason IS NULL)))
        """,
        "CREATE INDEX labelingJobItem_imageId ON labelingJobItem(imageId)",
        """
        CREATE TABLE labelingJobAnswer (
            jobId bigint NOT NULL,
            position bigint NOT NULL,
            submittedAt double precision NOT NULL,
            origin text NOT NULL CHECK (origin IN ('human', 'machine')),
            boxes text NOT NULL,
            verdict text CHECK (verdict IN ('good', 'bad')),
            comment text CHECK (comment IS NULL OR verdict IS NOT NULL),
            PRIMARY KEY (jobId, position),
            FOREIGN KEY (jobId, position) REFERENCES labelingJobItem(jobId, position) ON DELETE CASCADE)
        """,
    ]
}
