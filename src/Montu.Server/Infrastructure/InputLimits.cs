namespace Montu.Server.Infrastructure;

/// <summary>
/// Every size limit on what a client sends, in one place: the validators check these and the
/// OpenAPI document declares them (<c>maxLength</c>, <c>maxItems</c>, <c>maxProperties</c>,
/// <c>pattern</c>). They sit far above what a studio writes and far below what would hurt the
/// server: a task list repeats each task's fields on every page, and every change is kept in
/// the event log (docs/decisions/0013).
/// </summary>
public static class InputLimits
{
    /// <summary>Names: episode, sequence, shot, asset, artist, versions, file extensions.</summary>
    public const int NameLength = 256;

    /// <summary>Free text and paths: descriptions, notes, file paths.</summary>
    public const int TextLength = 10_000;

    public const int ProjectNameLength = 200;

    /// <summary>RFC 5321's limit on a forward path.</summary>
    public const int EmailLength = 254;

    public const int PasswordMinLength = 10;
    public const int PasswordMaxLength = 256;

    /// <summary>A user's display name and profile text.</summary>
    public const int UserTextLength = 200;

    public const int UrlLength = 2048;

    /// <summary>An ISO 8601 timestamp, with room for spaces and a long fraction.</summary>
    public const int TimestampLength = 64;

    public const string ProjectIdPattern = "^[A-Za-z0-9_]{2,32}$";
    public const int ProjectIdLength = 32;

    public const string TaskIdPattern = "^[A-Za-z0-9_.-]{1,128}$";
    public const int TaskIdLength = 128;

    /// <summary>Values the server made and clients send back: user ids, refresh tokens, cursors.</summary>
    public const int OpaqueValueLength = 512;

    /// <summary>A role, a permission, a bulk operation: short words from a fixed list.</summary>
    public const int WordLength = 64;

    /// <summary>A task's <c>customFields</c> as stored: UTF-8 bytes of its JSON.</summary>
    public const int CustomFieldsBytes = 64 * 1024;
    public const int CustomFieldsCount = 256;
    public const int CustomFieldNameLength = 128;

    /// <summary>How deep objects and arrays nest inside one custom field's value.</summary>
    public const int CustomFieldDepth = 8;

    public const int VersionsCount = 1000;

    /// <summary>A work-file version number: <c>{version}</c> renders at most six digits.</summary>
    public const int MaxVersionNumber = 999_999;

    /// <summary>Names in each list of <c>POST /projects/{id}/directories</c>, and the directories one request may make (over all templates).</summary>
    public const int DirectoryNames = 1000;
    public const int Directories = 10_000;

    /// <summary><c>estimatedDurationHours</c> and <c>actualTimeLogged</c>.</summary>
    public const int MaxHours = 1_000_000;

    /// <summary>A frame number, either side of zero: over a day of film at 60 fps.</summary>
    public const int MaxFrame = 10_000_000;

    /// <summary>Entries of a project's <c>templates</c> or <c>filenamePatterns</c>.</summary>
    public const int TemplatesCount = 100;
    public const int RootMappingsCount = 20;
    public const int NamingRuleLength = 256;
    public const int TemplateNameLength = 128;
    public const int TemplateLength = 1024;

    /// <summary>A drive root or a path segment of a project.</summary>
    public const int PathPartLength = 1024;

    /// <summary>Values of taskTypes, milestones, priorityLevels and taskStatuses.</summary>
    public const int VocabularyCount = 100;
    public const int VocabularyValueLength = 100;

    /// <summary>Items of one bulk request (<c>PATCH /tasks/bulk-update</c>, <c>POST /tasks/bulk</c>).</summary>
    public const int BulkItems = 1000;

    /// <summary>Members added by one request.</summary>
    public const int MembersPerRequest = 500;

    /// <summary>v2.0 <c>permissions</c> of a member to add: read, write, admin.</summary>
    public const int PermissionsCount = 8;

    /// <summary>One query-string value (a filter, a search, a cursor).</summary>
    public const int QueryValueLength = 1024;

    public const int MaxPage = 1_000_000;

    /// <summary>Request body of an ordinary JSON route.</summary>
    public const long JsonBodyBytes = 1024 * 1024;

    /// <summary>Request body of a bulk route: up to <see cref="BulkItems"/> items.</summary>
    public const long BulkBodyBytes = 4 * 1024 * 1024;

    /// <summary>An uploaded file's name, once reduced to its last path segment.</summary>
    public const int FileNameLength = 200;

    /// <summary>Tags on one media version, and the length of each.</summary>
    public const int TagsCount = 50;

    public const int TagLength = 64;

    /// <summary>The JSON-free parts of a media upload (task, project, version, description, tags) together.</summary>
    public const long UploadFieldsBytes = 64 * 1024;

    /// <summary>An annotation's drawing: shapes, points over all its shapes, a text shape's words, a line's width in pixels.</summary>
    public const int AnnotationShapes = 500;

    public const int AnnotationPoints = 10_000;

    public const int ShapeTextLength = 1000;

    public const int MaxLineWidth = 100;

    /// <summary>Users named in one annotation's <c>mentions</c>.</summary>
    public const int MentionsCount = 50;

    /// <summary>A pixel coordinate or size: above any picture a studio makes.</summary>
    public const int MaxPixels = 100_000;

    /// <summary>A time into a media version, in seconds: over eleven days.</summary>
    public const int MaxSeconds = 1_000_000;

    /// <summary>A saved view: its name, and the columns a client shows with it.</summary>
    public const int ViewNameLength = 200;

    public const int ViewColumnsCount = 100;
}
