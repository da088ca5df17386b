"""What comes in: error texts for pasted Keras code (builder.keras_code) and image-folder
zips (builder.image_folder); the Build and Train pages' own words stay in their tables."""

TEXT: dict[str, dict[str, str]] = {
    "error.code_problems": {
        "en": "LayerLab could not read this code (it is never run): {lines}",
        "ko": "LayerLab이 이 코드를 읽지 못했습니다 (코드는 실행하지 않습니다): {lines}"},
    "error.code_line": {"en": "line {line}: {detail}", "ko": "{line}번째 줄: {detail}"},
    "error.code_syntax": {"en": "this is not valid Python ({detail})",
                          "ko": "올바른 파이썬 코드가 아닙니다 ({detail})"},
    "error.code_too_complex": {
        "en": "the code is too long or too deeply nested to read; paste only the model's code",
        "ko": "코드가 너무 길거나 너무 깊게 중첩되어 읽을 수 없습니다. 모델 코드만 붙여 넣으세요"},
    "error.code_loop": {
        "en": "a loop or comprehension: LayerLab reads code without running it, so write each "
              "layer out on its own line",
        "ko": "반복문이나 컴프리헨션입니다: LayerLab은 코드를 실행하지 않고 읽으므로 레이어를 한 줄에 "
              "하나씩 적어 주세요"},
    "error.code_function": {
        "en": "a function, lambda or decorator: LayerLab reads only straight-line model code",
        "ko": "함수, 람다 또는 데코레이터입니다: LayerLab은 위에서 아래로 이어지는 모델 코드만 읽습니다"},
    "error.code_class": {"en": "a class definition: LayerLab reads only straight-line model code",
                         "ko": "클래스 정의입니다: LayerLab은 위에서 아래로 이어지는 모델 코드만 읽습니다"},
    "error.code_walrus": {"en": "an assignment inside an expression (:=) is not read",
                          "ko": "식 안의 대입(:=)은 읽지 않습니다"},
    "error.code_condition": {
        "en": "a model or layer made under a condition (if … else): LayerLab cannot know which "
              "branch would run; keep one version",
        "ko": "조건문(if … else) 안에서 모델이나 레이어를 만듭니다: 어느 쪽이 실행될지 알 수 없으니 "
              "한 가지만 남겨 주세요"},
    "error.code_try": {"en": "try/except is not read; keep only the model's code",
                       "ko": "try/except는 읽지 않습니다. 모델 코드만 남겨 주세요"},
    "error.code_with": {"en": "a with block is not read; keep only the model's code",
                        "ko": "with 블록은 읽지 않습니다. 모델 코드만 남겨 주세요"},
    "error.code_global": {"en": "global/nonlocal is not read", "ko": "global/nonlocal은 읽지 않습니다"},
    "error.code_delete": {"en": "del is not read", "ko": "del은 읽지 않습니다"},
    "error.code_forbidden": {
        "en": "{name} is refused: it could run other code",
        "ko": "{name}은(는) 다른 코드를 실행할 수 있어 거부합니다"},
    "error.code_starred": {"en": "*args and **kwargs are not read; write the arguments out",
                           "ko": "*args와 **kwargs는 읽지 않습니다. 인수를 직접 적어 주세요"},
    "error.code_import": {
        "en": "import of {name}: LayerLab reads only Keras/TensorFlow (and NumPy, Matplotlib, "
              "scikit-learn imports, which it skips)",
        "ko": "{name} 가져오기: LayerLab은 Keras/TensorFlow만 읽습니다 (NumPy, Matplotlib, "
              "scikit-learn 가져오기는 건너뜁니다)"},
    "error.code_star_import": {"en": "from {name} import * is not read; name what you import",
                               "ko": "from {name} import *는 읽지 않습니다. 가져올 이름을 적어 주세요"},
    "error.code_unknown_layer": {"en": "{name} is not a layer LayerLab knows",
                                 "ko": "{name}은(는) LayerLab이 아는 레이어가 아닙니다"},
    "error.code_unpack": {"en": "a model or layer cannot be unpacked into several names",
                          "ko": "모델이나 레이어를 여러 이름으로 나눠 담을 수 없습니다"},
    "error.code_model_change": {
        "en": "this line changes the model or a layer in a way LayerLab cannot follow",
        "ko": "이 줄은 LayerLab이 따라갈 수 없는 방식으로 모델이나 레이어를 바꿉니다"},
    "error.code_model_method": {
        "en": "model.{name}(...) is not read (add, compile, fit, evaluate, summary are)",
        "ko": "model.{name}(...)은 읽지 않습니다 (add, compile, fit, evaluate, summary는 읽습니다)"},
    "error.code_model_call": {"en": "calling a model or a tensor is not read",
                              "ko": "모델이나 텐서를 호출하는 코드는 읽지 않습니다"},
    "error.code_unresolved": {
        "en": "{name} is not a constant LayerLab can resolve (write its value, or set it "
              "earlier as e.g. {name} = 10)",
        "ko": "{name}은(는) LayerLab이 값을 알 수 있는 상수가 아닙니다 (값을 직접 적거나 앞에서 "
              "{name} = 10처럼 정해 주세요)"},
    "error.code_not_constant": {"en": "{source} is not a value LayerLab can read without running it",
                                "ko": "{source}은(는) 실행하지 않고는 알 수 없는 값입니다"},
    "error.code_positional": {
        "en": "{type} takes at most {count} positional argument(s) here ({names}); write the "
              "others as name=value",
        "ko": "{type}은(는) 여기서 위치 인수를 {count}개까지 받습니다 ({names}). 나머지는 "
              "이름=값으로 적어 주세요"},
    "error.code_missing": {"en": "{type} needs {name}, e.g. {type}({name}=...)",
                           "ko": "{type}에는 {name}이(가) 필요합니다 (예: {type}({name}=...))"},
    "error.code_twice": {"en": "{name} is given twice", "ko": "{name}이(가) 두 번 주어졌습니다"},
    "error.code_concat_axis": {"en": "Concatenate joins channels only (axis=-1)",
                               "ko": "Concatenate는 채널 방향(axis=-1)으로만 이어 붙입니다"},
    "error.code_merge_argument": {"en": "{type} does not take {name} in LayerLab",
                                  "ko": "LayerLab에서 {type}은(는) {name}을(를) 받지 않습니다"},
    "error.code_two_inputs": {"en": "a second Input: LayerLab models have one input",
                              "ko": "두 번째 Input입니다: LayerLab 모델은 입력이 하나입니다"},
    "error.code_layer_list": {"en": "Sequential takes a list of layers: Sequential([...])",
                              "ko": "Sequential에는 레이어 목록을 넣습니다: Sequential([...])"},
    "error.code_model_argument": {"en": "the model argument {name} is not read",
                                  "ko": "모델 인수 {name}은(는) 읽지 않습니다"},
    "error.code_add_one": {"en": "model.add takes one layer", "ko": "model.add에는 레이어 하나를 넣습니다"},
    "error.code_not_layer": {"en": "{source} is not a layer LayerLab can read",
                             "ko": "{source}은(는) LayerLab이 읽을 수 있는 레이어가 아닙니다"},
    "error.code_input_first": {"en": "the input shape may be given only on the first layer",
                               "ko": "입력 형태는 첫 번째 레이어에만 줄 수 있습니다"},
    "error.code_shared_layer": {
        "en": "this {type} layer is used twice (shared weights), which LayerLab cannot express",
        "ko": "이 {type} 레이어를 두 번 씁니다 (가중치 공유). LayerLab은 이를 표현하지 못합니다"},
    "error.code_apply_one": {
        "en": "a layer is called on one tensor, e.g. Dense(10)(x); Add and Concatenate on a "
              "list, e.g. Add()([x, y])",
        "ko": "레이어는 텐서 하나에 호출합니다 (예: Dense(10)(x)). Add와 Concatenate는 목록에 "
              "호출합니다 (예: Add()([x, y]))"},
    "error.code_not_tensor": {"en": "{source} is not a tensor of this model",
                              "ko": "{source}은(는) 이 모델의 텐서가 아닙니다"},
    "error.code_merge_two": {"en": "Add and Concatenate join at least two tensors",
                             "ko": "Add와 Concatenate는 텐서를 두 개 이상 합칩니다"},
    "error.code_model_io": {
        "en": "Model(inputs, outputs) needs the keras.Input tensor and one output tensor",
        "ko": "Model(inputs, outputs)에는 keras.Input 텐서와 출력 텐서 하나가 필요합니다"},
    "error.code_model_count": {"en": "a second model: paste the code of one model",
                               "ko": "두 번째 모델입니다: 모델 하나의 코드만 붙여 넣으세요"},
    "error.code_no_model": {
        "en": "no model found: build it with keras.Sequential([...]), Sequential() and "
              "model.add(...), or keras.Model(inputs, outputs)",
        "ko": "모델을 찾지 못했습니다: keras.Sequential([...]), Sequential()과 model.add(...), "
              "또는 keras.Model(inputs, outputs)로 만들어 주세요"},
    "error.code_empty": {"en": "the model has no layers", "ko": "모델에 레이어가 없습니다"},
    "error.code_layer": {"en": "{type}: {detail}", "ko": "{type}: {detail}"},
    "error.code_graph": {
        "en": "this wiring is not a straight stack, a Residual block (Add of a path and its "
              "input) or a Branch block (paths from one tensor, joined by Add or Concatenate)",
        "ko": "이 연결은 일직선 스택, Residual 블록(경로와 그 입력의 Add), Branch 블록(한 텐서에서 "
              "갈라져 Add나 Concatenate로 합쳐지는 경로) 중 어느 것도 아닙니다"},
    "error.code_add_shapes": {
        "en": "Add needs equal shapes, but the path gives {main} and its input is {shortcut}",
        "ko": "Add는 형태가 같아야 하는데, 경로 출력은 {main}, 입력은 {shortcut}입니다"},
    "error.code_no_input": {
        "en": "no input shape: give the first layer input_shape=(28, 28, 1), or start with "
              "keras.Input(shape=(28, 28, 1))",
        "ko": "입력 형태가 없습니다: 첫 번째 레이어에 input_shape=(28, 28, 1)을 주거나 "
              "keras.Input(shape=(28, 28, 1))으로 시작하세요"},
    # image-folder zips
    "error.zip_not_zip": {"en": "this is not a .zip file (or it is damaged)",
                          "ko": ".zip 파일이 아니거나 손상된 파일입니다"},
    "error.zip_empty": {"en": "the zip holds no images", "ko": "zip에 이미지가 없습니다"},
    "error.zip_too_many": {
        "en": "the zip holds {count:,} files; at most {limit:,} are read (use fewer images per class)",
        "ko": "zip에 파일이 {count:,}개 있습니다. 최대 {limit:,}개까지 읽습니다 (클래스마다 이미지를 줄여 주세요)"},
    "error.zip_bomb": {
        "en": "{name} declares {size:,} bytes or compresses far too well (limit {limit:,}): "
              "this looks like a zip bomb, so the zip was refused",
        "ko": "{name}이(가) {size:,}바이트라고 적혀 있거나 너무 심하게 압축되어 있습니다 (한도 {limit:,}): "
              "압축 폭탄으로 보여 거부했습니다"},
    "error.zip_too_big": {
        "en": "the images would take {size:,} bytes unpacked; the limit is {limit:,} (a server "
              "setting, {env})",
        "ko": "이미지를 풀면 {size:,}바이트가 됩니다. 한도는 {limit:,}바이트입니다 (서버 설정 {env})"},
    "error.zip_unsafe_path": {
        "en": "the entry {name} points outside its folder (an absolute path or ..); the zip was refused",
        "ko": "{name} 항목이 폴더 밖을 가리킵니다 (절대 경로 또는 ..). zip을 거부했습니다"},
    "error.zip_layout": {
        "en": "{name} is not inside a class folder: the zip needs one folder per class, "
              "e.g. cats/1.png and dogs/1.png",
        "ko": "{name}이(가) 클래스 폴더 안에 있지 않습니다: zip에는 클래스마다 폴더가 하나씩 "
              "있어야 합니다 (예: cats/1.png, dogs/1.png)"},
    "error.zip_not_image": {"en": "{name} is not a PNG or JPEG image",
                            "ko": "{name}은(는) PNG나 JPEG 이미지가 아닙니다"},
    "error.zip_one_class": {
        "en": "only one class folder ({name}): a model needs at least two classes to tell apart",
        "ko": "클래스 폴더가 하나뿐입니다 ({name}): 모델이 구별하려면 클래스가 두 개 이상 필요합니다"},
    "error.zip_too_many_classes": {"en": "{count:,} class folders; at most {limit:,}",
                                   "ko": "클래스 폴더가 {count:,}개입니다. 최대 {limit:,}개입니다"},
    "error.zip_class_name": {"en": "the class folder {name} has a name longer than {limit} characters",
                             "ko": "클래스 폴더 {name}의 이름이 {limit}자보다 깁니다"},
    "error.zip_class_small": {
        "en": "the class {name} has {count} image(s); each class needs at least 2 (one to learn "
              "from, one to test)",
        "ko": "클래스 {name}에 이미지가 {count}장 있습니다. 클래스마다 최소 2장(학습 1장, 시험 1장)이 "
              "필요합니다"},
    "error.zip_too_few": {"en": "{count} images leave fewer than {minimum} to learn from; add more",
                          "ko": "이미지 {count}장으로는 학습용이 {minimum}장보다 적습니다. 더 넣어 주세요"},
    "error.zip_pixels": {
        "en": "{name} is {width}×{height} pixels; at most {limit:,} pixels per image",
        "ko": "{name}은(는) {width}×{height} 픽셀입니다. 이미지 한 장은 최대 {limit:,} 픽셀입니다"},
    "error.zip_total_pixels": {
        "en": "the images hold more than {limit:,} pixels in all; use smaller or fewer images",
        "ko": "이미지 전체 픽셀이 {limit:,}개를 넘습니다. 더 작거나 적은 이미지를 쓰세요"},
    "error.zip_size": {"en": "image size {got} is not one of {choices}",
                       "ko": "이미지 크기 {got}은(는) {choices} 중 하나가 아닙니다"},
}
