namespace Montu.Server.Infrastructure.Errors;

/// <summary>Collects every field problem of a request so the client sees them all at once.</summary>
public sealed class ValidationProblems
{
    private readonly List<FieldError> _errors = [];

    public bool Any => _errors.Count > 0;

    public IReadOnlyList<FieldError> Errors => _errors;

    public void Add(string field, string message, string code = ErrorCodes.InvalidValue) => _errors.Add(new FieldError(field, message, code));

    public void Add(FieldError error) => _errors.Add(error);

    public void Required(string field) => Add(field, $"Field '{field}' is required", ErrorCodes.RequiredField);

    public ApiError ToError() => ApiError.Validation(_errors);
}
