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

    /// <summary>Reports <paramref name="value"/> when it is longer than <paramref name="maxLength"/> (see <see cref="InputLimits"/>).</summary>
    public void MaxLength(string field, string? value, int maxLength)
    {
        if (value?.Length > maxLength)
        {
            Add(field, $"Field '{field}' must be at most {maxLength} characters", ErrorCodes.OutOfRange);
        }
    }

    public ApiError ToError() => ApiError.Validation(_errors);
}
